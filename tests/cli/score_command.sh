#!/usr/bin/env bash
# `leadscore score` through the binary: exit codes, one-line errors, atomic output, --help/--version.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
ex=$repo/rules/examples
d=$ex/data/b2b-saas

# Output captured before matching: `grep -q` in a pipe closes it at the first match, and with
# pipefail a writer still writing then fails the test at random (SIGPIPE).
"$bin" --version > version.txt
grep -Eq '^leadscore [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]+|unknown\)' version.txt || fail "--version"
"$bin" --help > help.txt
grep -q "usage: leadscore COMMAND" help.txt || fail "--help"
"$bin" help score > help_score.txt
grep -q -- "--rejects FILE" help_score.txt || fail "help score"
set +e
"$bin" frobnicate 2> err.txt; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'unknown command "frobnicate"' err.txt || fail "unknown command: rc=$rc $(cat err.txt)"

# Missing required column: non-zero, one line naming the column and the closest header, no output.
printf 'lead_id,Emial,country\nA,a@b.c,US\n' > leads.csv
printf 'ruleset "x" version 1\nschema lead { lead_id: id  email: string from "Email"  country: string }\nscore s { rule "a" when country == "US" points 1 }\n' > x.rules
set +e
"$bin" score x.rules --leads leads.csv --as-of 2026-11-01 --out out.csv 2> err.txt; rc=$?
set -e
[ $rc -eq 1 ] || fail "missing column exit $rc"
[ "$(wc -l < err.txt)" -eq 1 ] || fail "missing column: expected one line, got: $(cat err.txt)"
grep -q 'required column "Email" (field `email`) is missing from the header; closest header: "Emial"' err.txt || fail "message: $(cat err.txt)"
[ ! -e out.csv ] || fail "output written despite the error"

# Rules that do not compile: exit 1 with the diagnostic, nothing written.
printf 'ruleset "x" version 1\nschema lead { lead_id: id }\nscore s { rule "a" when nope points 1 }\n' > bad.rules
set +e
"$bin" score bad.rules --leads leads.csv --as-of 2026-11-01 --out out.csv 2> err.txt; rc=$?
set -e
[ $rc -eq 1 ] && grep -q '^bad.rules:3:25: error: unknown name `nope`' err.txt || fail "bad rules: rc=$rc $(cat err.txt)"
[ ! -e out.csv ] || fail "output written for rules that do not compile"

# Unreadable leads file and bad --as-of.
set +e
"$bin" score x.rules --leads nowhere.csv --as-of 2026-11-01 --out out.csv 2> err.txt; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "nowhere.csv" err.txt || fail "unreadable file: rc=$rc"
set +e
"$bin" score x.rules --leads leads.csv --as-of yesterday --out out.csv 2> err.txt; rc=$?
set -e
[ $rc -eq 2 ] && grep -q -- "--as-of" err.txt || fail "bad --as-of: rc=$rc"

# A previous output survives a failed run (written atomically): make the run fail after the rules load.
echo "previous" > keep.csv
set +e
"$bin" score "$ex/b2b-saas.rules" --leads missing.csv --as-of 2026-11-01 --out keep.csv 2>/dev/null
set -e
[ "$(cat keep.csv)" = previous ] || fail "a failed run replaced the previous output"
ls -a | grep -q '\.keep\.csv\.tmp' && fail "temporary file left behind"

# The summary reconciles and lists the top leads; threads give identical output.
"$bin" score "$ex/b2b-saas.rules" --leads "$d/leads.csv" --activities "$d/activities.csv" --as-of 2026-11-01T00:00:00Z \
  --out one.csv --top 3 2> summary.txt
grep -q "leads: 3000 rows read = 3000 scored + 0 rejected" summary.txt || fail "summary: $(cat summary.txt)"
grep -q "top 3 leads by score" summary.txt || fail "no top leads"
grep -q "content hash [0-9a-f]\{16\}" summary.txt || fail "no content hash"
"$bin" score "$ex/b2b-saas.rules" --leads "$d/leads.csv" --activities "$d/activities.csv" --as-of 2026-11-01T00:00:00Z \
  --out two.csv --threads 2 --quiet
cmp one.csv two.csv || fail "--threads 2 output differs"
# Tab-delimited input reads the same as comma-delimited.
printf 'lead_id\temail\tcountry\nA\ta@b.c\tUS\nB\tb@c.d\tCA\n' > tab.csv
printf 'ruleset "x" version 1\nschema lead { lead_id: id  email: string  country: string }\nscore s { rule "a" when country == "US" points 1 }\n' > t.rules
"$bin" score t.rules --leads tab.csv --delimiter tab --as-of 2026-11-01 --out tab-out.csv --quiet
[ "$(cat tab-out.csv)" = "$(printf 'lead_id,s,score\nA,1,1\nB,0,0')" ] || fail "tab delimiter: $(cat tab-out.csv)"
# Parallel parts give exactly the sequential result: rows, rejects (duplicates across parts, bad
# rows, multi-line quoted records) and their line numbers.
awk 'BEGIN {
  print "lead_id,email,country"
  for (i = 1; i <= 30000; i++) {
    if (i % 997 == 0) print "L" (i - 500) ",dup@x.com,US"            # duplicate of an earlier id
    else if (i % 1499 == 0) print "L" i ",too,many,fields"
    else if (i % 1201 == 0) print "L" i ",\"multi\nline@x.com\",CA"
    else if (i % 2003 == 0) print ",noid@x.com,US"
    else print "L" i ",a" i "@x.com," (i % 3 ? "US" : "DE")
  }
}' > many.csv
for t in 1 2 4; do
  "$bin" score t.rules --leads many.csv --as-of 2026-11-01 --out many-$t.csv --rejects many-rej-$t.csv --threads $t --quiet
done
cmp many-1.csv many-2.csv && cmp many-1.csv many-4.csv || fail "parallel lead loading changed the output"
cmp many-rej-1.csv many-rej-2.csv && cmp many-rej-1.csv many-rej-4.csv || fail "parallel lead loading changed the rejects"
[ "$(grep -c duplicate many-rej-1.csv)" -eq 30 ] || fail "expected 30 duplicates, got $(grep -c duplicate many-rej-1.csv)"
echo "score command: ok"
