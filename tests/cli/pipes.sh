#!/usr/bin/env bash
# Leads and activities from `-` (standard input) or a FIFO (issue 11): read once from the start,
# with the same output as from regular files. Before, a FIFO blocked forever (opened twice) and a
# pipe failed with "Illegal seek". Every run is under `timeout` so a hang fails instead of stalling.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
ex=$repo/rules/examples
d=$ex/data/b2b-saas
run() { timeout 60 "$bin" "$@"; }
args=(score "$ex/b2b-saas.rules" --as-of 2026-11-01T00:00:00Z --explain --quiet)

run "${args[@]}" --leads "$d/leads.csv" --activities "$d/activities.csv" --out files.csv --rejects files.rejects.csv

# Standard input, one thread and four.
cat "$d/leads.csv" | run "${args[@]}" --leads - --activities "$d/activities.csv" --out stdin-leads.csv ||
  fail "leads from a pipe"
cmp -s files.csv stdin-leads.csv || fail "leads from a pipe: output differs"
run "${args[@]}" --leads "$d/leads.csv" --activities - --out stdin-events.csv --threads 4 < "$d/activities.csv" ||
  fail "activities from standard input"
cmp -s files.csv stdin-events.csv || fail "activities from standard input: output differs"
cat "$d/leads.csv" | run "${args[@]}" --leads /dev/stdin --activities "$d/activities.csv" --out dev-stdin.csv --threads 3 ||
  fail "leads from /dev/stdin (a pipe)"
cmp -s files.csv dev-stdin.csv || fail "leads from /dev/stdin: output differs"

# FIFOs, both at once, with rejects quoted from the in-memory copy.
mkfifo leads.fifo events.fifo
printf '%s\n' "$(cat "$d/leads.csv")" "$(sed -n 2p "$d/leads.csv")" > leads-dup.csv  # one duplicate id
cat leads-dup.csv > leads.fifo &
cat "$d/activities.csv" > events.fifo &
run "${args[@]}" --leads leads.fifo --activities events.fifo --out fifo.csv --rejects fifo.rejects.csv --threads 4 ||
  fail "leads and activities from FIFOs"
wait
cmp -s files.csv fifo.csv || fail "FIFOs: output differs"
tail -1 fifo.rejects.csv | grep -q "^3002,\"duplicate lead id \"\"L00001\"\" (first on line 2)\",\"L00001,elena" ||
  fail "FIFO rejects: $(tail -1 fifo.rejects.csv)"

# explain and diff read the leads more than once (header, rows, a second ruleset): one pipe is enough.
lead=$(sed -n 2p files.csv | cut -d, -f1)
cat "$d/leads.csv" | run explain "$ex/b2b-saas.rules" --lead "$lead" --leads - --activities "$d/activities.csv" \
  --as-of 2026-11-01T00:00:00Z > explain.txt || fail "explain from a pipe"
grep -q "^lead $lead " explain.txt || fail "explain: $(head -2 explain.txt)"
cat "$d/leads.csv" | run diff "$ex/b2b-saas.rules" "$ex/b2b-saas.rules" --leads - --as-of 2026-11-01T00:00:00Z > diff.txt ||
  fail "diff from a pipe"
grep -q "leads compared: 3000" diff.txt || fail "diff: $(head -5 diff.txt)"
echo "pipes: ok"
