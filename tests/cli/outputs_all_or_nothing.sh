#!/usr/bin/env bash
# Several outputs are published together or not at all; a full disk keeps the reason; replaced files
# keep their permissions; a symlinked output is written through (docs/reliability.md).
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
no_temporaries() { ! find . -name '.*.tmp.*' | grep -q . || fail "temporary file left behind: $(find . -name '.*.tmp.*')"; }

cat > x.rules <<'EOF'
ruleset "x" version 1
schema lead { lead_id: id  email: string  x: int }
score s { rule "big" when x > 5 points 10 }
EOF
# 300 good rows and 2,000 rows with too many fields: the rejects (~400 KB) dwarf the scores (~4 KB).
awk 'BEGIN { print "lead_id,email,x"; pad = sprintf("%200s", ""); gsub(/ /, "z", pad)
  for (i = 1; i <= 300; i++) print "G" i ",g@b.c," (i % 10)
  for (i = 1; i <= 2000; i++) print "B" i ",x,1," pad }' > leads.csv
"$bin" score x.rules --leads leads.csv --as-of 2026-11-01 --max-reject-rate 1 --out scores.csv --rejects rejects.csv --quiet
[ "$(wc -l < scores.csv)" -eq 301 ] || fail "expected 300 scores, got $(($(wc -l < scores.csv) - 1))"
[ "$(stat -c %s rejects.csv)" -gt 200000 ] || fail "rejects too small for the test: $(stat -c %s rejects.csv)"
# The previous run's outputs, different from what the next run writes.
echo "previous scores" > scores.csv
echo "previous rejects" > rejects.csv
cp scores.csv scores.before && cp rejects.csv rejects.before

# A full disk while writing the rejects (a 100 KB file-size limit): before, the scores were already
# replaced and the rejected rows were in neither file. Now neither output changes.
set +e
(ulimit -f 100; "$bin" score x.rules --leads leads.csv --as-of 2026-11-01 --max-reject-rate 1 --out scores.csv --rejects rejects.csv \
  --quiet) 2> err.txt
rc=$?
set -e
[ $rc -eq 1 ] || fail "full disk on the rejects: exit $rc ($(cat err.txt))"
grep -qx 'leadscore score: cannot write rejects.csv: File too large' err.txt || fail "message: $(cat err.txt)"
cmp -s scores.csv scores.before || fail "the scores were replaced although the rejects could not be written"
cmp -s rejects.csv rejects.before || fail "the rejects changed"
no_temporaries

# A full disk while writing the scores: the rejects are not published either.
awk 'BEGIN { print "lead_id,email,x"; for (i = 1; i <= 20000; i++) print "L" i ",a" i "@b.c," (i % 10); print "bad" }' > many.csv
set +e
(ulimit -f 50; "$bin" score x.rules --leads many.csv --as-of 2026-11-01 --out scores.csv --rejects rejects.csv \
  --quiet) 2> err.txt
rc=$?
set -e
[ $rc -eq 1 ] || fail "full disk on the scores: exit $rc ($(cat err.txt))"
grep -qx 'leadscore score: cannot write scores.csv: File too large' err.txt || fail "message: $(cat err.txt)"
cmp -s scores.csv scores.before && cmp -s rejects.csv rejects.before || fail "an output changed after a failed run"
no_temporaries

# The same for calibrate and report, whose single output is replaced atomically.
echo "previous weights" > w.yaml && cp w.yaml w.before
awk 'BEGIN { print "lead_id,email,x,y"; srand(3)
  for (i = 1; i <= 400; i++) print "L" i ",a@b.c," (i % 10) "," (rand() < 0.1 + (i % 10) * 0.07 ? "won" : "lost") }' > closed.csv
set +e
(ulimit -f 1; "$bin" calibrate x.rules --leads closed.csv --outcome-column y --as-of 2026-11-01 --min-support 5 \
  --out w.yaml --quiet) 2> err.txt
rc=$?
set -e
[ $rc -eq 1 ] && grep -q 'cannot write w.yaml: File too large' err.txt || fail "calibrate full disk: $rc $(cat err.txt)"
cmp -s w.yaml w.before || fail "calibrate replaced its output after a failed write"
no_temporaries

# Permissions of a replaced file are kept (score, calibrate, fmt); a new file follows the umask.
"$bin" score x.rules --leads leads.csv --as-of 2026-11-01 --max-reject-rate 1 --out scores.csv --rejects rejects.csv --quiet
chmod 600 scores.csv && chmod 640 rejects.csv
"$bin" score x.rules --leads leads.csv --as-of 2026-11-01 --max-reject-rate 1 --out scores.csv --rejects rejects.csv --quiet
[ "$(stat -c %a scores.csv)" = 600 ] && [ "$(stat -c %a rejects.csv)" = 640 ] ||
  fail "permissions not kept: $(stat -c '%n %a' scores.csv rejects.csv)"
chmod 600 w.yaml
"$bin" calibrate x.rules --leads closed.csv --outcome-column y --as-of 2026-11-01 --min-support 5 --out w.yaml \
  --quiet 2> /dev/null
[ "$(stat -c %a w.yaml)" = 600 ] || fail "calibrate widened w.yaml to $(stat -c %a w.yaml)"
printf 'ruleset "y" version 1\nschema lead { lead_id: id  x: int }\nscore s { rule "a"   when x>1 points 1 }\n' > y.rules
chmod 600 y.rules
"$bin" fmt y.rules > /dev/null
[ "$(stat -c %a y.rules)" = 600 ] || fail "fmt widened y.rules to $(stat -c %a y.rules)"
grep -q 'when x > 1' y.rules || fail "fmt did not rewrite y.rules"
(umask 027; "$bin" score x.rules --leads leads.csv --as-of 2026-11-01 --max-reject-rate 1 --out fresh.csv --quiet)
[ "$(stat -c %a fresh.csv)" = 640 ] || fail "a new output should follow the umask: $(stat -c %a fresh.csv)"

# A symlinked output is written through: the link stays, its target gets the scores.
mkdir -p published
echo "previous" > published/scores.csv
ln -s published/scores.csv link.csv
"$bin" score x.rules --leads leads.csv --as-of 2026-11-01 --max-reject-rate 1 --out link.csv --quiet
[ -L link.csv ] || fail "the symlink was replaced by a file"
cmp -s published/scores.csv scores.csv || fail "the symlink's target did not get the scores"
no_temporaries

echo "outputs all or nothing: ok"
