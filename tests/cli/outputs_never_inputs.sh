#!/usr/bin/env bash
# Outputs never replace inputs and are published all or nothing (docs/reliability.md). Each data-loss
# repro of issue 11 must now be refused (exit 1, one line naming both files) or fail cleanly, and
# leave every input and every previous output byte-identical.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

# A small ruleset with a list file and a weights file it names, leads with a few bad rows.
mkdir -p lists
printf 'mailinator.com\nexample.org\n' > lists/free.txt
cat > x.rules <<'EOF'
ruleset "x" version 1
schema lead { lead_id: id  email: string  x: int  y: string }
list free = file "lists/free.txt"
score s {
  rule "big" when x > 5 points 10
  rule "free" when domain(email) in free points -5
}
EOF
awk 'BEGIN { srand(7); print "lead_id,email,x,y"
  for (i = 1; i <= 400; i++) { x = int(rand() * 10); y = (rand() < 0.1 + x * 0.07) ? "won" : "lost"
    print "L" i ",a" i "@" (i % 7 ? "acme.com" : "mailinator.com") "," x "," y }
  print "L5,dup@acme.com,1,lost"; print "broken,row" }' > leads.csv
awk -F, 'NR > 1 { print $1 "," $4 }' leads.csv | sed '1i lead_id,outcome' > outcomes.csv

snapshot() { for f in "$@"; do cp -p "$f" "$f.before"; done; }
unchanged() { for f in "$@"; do cmp -s "$f" "$f.before" || fail "$f changed"; done; }
# refused EXPECTED_MESSAGE_PART -- COMMAND...: exit 1, one line on stderr containing the part.
refused() {
  local part=$1; shift 2
  set +e
  "$bin" "$@" > out.txt 2> err.txt
  local rc=$?
  set -e
  [ $rc -eq 1 ] || fail "expected exit 1, got $rc for: $* ($(cat err.txt))"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "expected one line for: $*, got: $(cat err.txt)"
  grep -qF -- "$part" err.txt || fail "message for: $* lacks \"$part\": $(cat err.txt)"
  ! ls -a | grep -q '\.tmp\.' || fail "temporary file left behind by: $*"
}
score=(score x.rules --as-of 2026-11-01)

"$bin" "${score[@]}" --leads leads.csv --out scores.csv --rejects rejects.csv --quiet
[ "$(wc -l < rejects.csv)" -eq 3 ] || fail "expected 2 rejected rows: $(cat rejects.csv)"
snapshot leads.csv x.rules lists/free.txt scores.csv rejects.csv outcomes.csv

# score: an output onto the leads, the rules or another output.
refused "--out leads.csv is the same file as --leads leads.csv" -- "${score[@]}" --leads leads.csv --out leads.csv
refused "--rejects leads.csv is the same file as --leads leads.csv" -- \
  "${score[@]}" --leads leads.csv --out scores.csv --rejects leads.csv
refused "--rejects scores.csv is the same file as --out scores.csv" -- \
  "${score[@]}" --leads leads.csv --out scores.csv --rejects scores.csv
refused "--out x.rules is the same file as the rules file x.rules" -- "${score[@]}" --leads leads.csv --out x.rules
# Not existing yet, spelled two ways: still one file.
refused "--rejects ./new.csv is the same file as --out new.csv" -- \
  "${score[@]}" --leads leads.csv --out new.csv --rejects ./new.csv
[ ! -e new.csv ] || fail "new.csv created by a refused run"
# The same file through a hard link, a symlink and an absolute path.
ln leads.csv hard.csv
ln -s leads.csv soft.csv
refused "--out hard.csv is the same file as --leads leads.csv" -- "${score[@]}" --leads leads.csv --out hard.csv
refused "--out soft.csv is the same file as --leads leads.csv" -- "${score[@]}" --leads leads.csv --out soft.csv
refused "is the same file as --leads leads.csv" -- "${score[@]}" --leads leads.csv --out "$PWD/leads.csv"
rm hard.csv soft.csv
# Files the rules name: known once the rules are loaded, refused before the leads are read.
refused "--out lists/free.txt is the same file as the list file" -- \
  "${score[@]}" --leads leads.csv --out lists/free.txt
refused "--rejects ./lists/../lists/free.txt is the same file as the list file" -- \
  "${score[@]}" --leads leads.csv --out scores.csv --rejects ./lists/../lists/free.txt
unchanged leads.csv x.rules lists/free.txt scores.csv rejects.csv

# calibrate: --out onto the leads, the rules or the outcomes file.
cal=(calibrate x.rules --as-of 2026-11-01 --quiet)
refused "--out leads.csv is the same file as --leads leads.csv" -- "${cal[@]}" --leads leads.csv --outcome-column y --out leads.csv
refused "--out x.rules is the same file as the rules file x.rules" -- "${cal[@]}" --leads leads.csv --outcome-column y --out x.rules
refused "--out outcomes.csv is the same file as --outcomes outcomes.csv" -- \
  "${cal[@]}" --leads leads.csv --outcomes outcomes.csv --out outcomes.csv
refused "--out lists/free.txt is the same file as the list file" -- \
  "${cal[@]}" --leads leads.csv --outcome-column y --out lists/free.txt
unchanged leads.csv x.rules lists/free.txt outcomes.csv

# calibrate may refresh the weights file the rules name: it does not read it.
mkdir -p weights
"$bin" "${cal[@]}" --leads leads.csv --outcome-column y --min-support 5 --out weights/x.yaml 2> /dev/null
printf 'calibration "weights/x.yaml"\n' >> x.rules
"$bin" "${cal[@]}" --leads leads.csv --outcome-column y --min-support 5 --out weights/x.yaml 2> /dev/null ||
  fail "calibrate could not refresh the weights file the rules name"
# ...but score reads it, so score may not write it.
snapshot x.rules weights/x.yaml
refused "--out weights/x.yaml is the same file as the weights file" -- "${score[@]}" --leads leads.csv --out weights/x.yaml
unchanged weights/x.yaml

# report: --out onto the weights file it reads.
refused "--out weights/x.yaml is the same file as the weights file weights/x.yaml" -- \
  report weights/x.yaml --out weights/x.yaml
unchanged weights/x.yaml

# Standard output and devices are not files to compare.
"$bin" "${score[@]}" --leads leads.csv --out - --rejects /dev/null --quiet > stdout.csv
[ "$(wc -l < stdout.csv)" -eq 401 ] && head -1 stdout.csv | grep -q '^lead_id,s,score,p_close' ||
  fail "--out - did not write the scores: $(head -2 stdout.csv)"

echo "outputs never inputs: ok"
