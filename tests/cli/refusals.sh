#!/usr/bin/env bash
# Inputs that cannot be right are refused, or made safe and counted (issue 11 item 4): durations
# beyond 100 years, a list or rules path that is a directory, a list file with a byte order mark, weights of another ruleset, NaN coefficients,
# overflowing arithmetic, invalid UTF-8, duplicate headers, a flat 200-term `or`, and a symlink
# committed in a `git:` ref.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
expect_fail() {  # expect_fail RC OUTPUT_FILE COMMAND...: runs COMMAND, fails the test unless it exits RC
  local want=$1 out=$2 rc
  shift 2
  set +e
  "$@" > "$out" 2>&1; rc=$?
  set -e
  [ $rc -eq "$want" ] || fail "$* exited $rc, expected $want: $(head -3 "$out")"
}
head='ruleset "r" version 1
schema lead { lead_id: id  country: string  revenue: number  name: string }
schema activity { lead_id: id  at: timestamp  amount: number }'
printf 'lead_id,country,revenue,name\nA,US,1e308,Ann\nB,CA,5,Bob\n' > leads.csv
printf 'lead_id,at,amount\nA,2026-10-01,1e308\nA,2026-10-02,1e308\nB,2026-10-01,1\n' > events.csv

# ---- A duration of a billion days was accepted and dropped every event.
printf '%s\nscore s { rule "a" when count(activity within 1000000000d) > 0 points 1 }\n' "$head" > within.rules
expect_fail 1 within.txt "$bin" check within.rules
grep -q '^within.rules:4:47: error: this duration is longer than 100 years' within.txt || fail "within: $(cat within.txt)"

# ---- Rule-test relative times beyond 100 years overflowed: an error at the value.
printf '%s\nscore s { rule "a" when exists(activity) points 1 }\n' "$head" > rt.rules
printf 'as_of: 2026-11-01T00:00:00Z\ncases:\n  - name: far\n    lead: { lead_id: A }\n    events:\n      - { at: -999999999w }\n    expect: { s: 1 }\n' > rt.test.yaml
expect_fail 1 rt.txt "$bin" test rt.rules
grep -q '^rt.test.yaml:6:15: error: "-999999999w" is more than 100 years from as_of' rt.txt || fail "relative time: $(cat rt.txt)"
# Offsets of 10 digits and more were no offset at all: -1000000000s (31.7 years) was a missing
# time, and -4000000000d quietly the same instead of the error.
printf 'as_of: 2026-11-01T00:00:00Z\ncases:\n  - name: far\n    lead: { lead_id: A }\n    events:\n      - { at: -4000000000d }\n    expect: { s: 1 }\n  - name: 31.7 years\n    lead: { lead_id: B }\n    events:\n      - { at: -1000000000s }\n    expect: { s: 1 }\n' > rt.test.yaml
expect_fail 1 rt.txt "$bin" test rt.rules
grep -q '^rt.test.yaml:6:15: error: "-4000000000d" is more than 100 years from as_of' rt.txt || fail "relative time: $(cat rt.txt)"
grep -q '^FAIL rt.test.yaml: far (the case has errors, see above)$' rt.txt || fail "relative time, case run: $(cat rt.txt)"
grep -q '^PASS rt.test.yaml: 31.7 years$' rt.txt || fail "relative time of 10 digits: $(cat rt.txt)"
grep -q '^1 passed, 1 failed$' rt.txt || fail "relative time summary: $(cat rt.txt)"

# ---- A list path that is a directory read as an empty list: `not in` was true for everyone.
mkdir lists.d
printf '%s\nlist l = file "lists.d"\nscore s { rule "a" when country not in l points 1 }\n' "$head" > listdir.rules
expect_fail 1 listdir.txt "$bin" score listdir.rules --leads leads.csv --as-of 2026-11-01 --out x.csv
grep -q 'listdir.rules:4:15: error: list file ".*lists.d" is a directory, not a regular file' listdir.txt ||
  fail "list dir: $(cat listdir.txt)"

# A directory given as the rules file: the one-line reason, not "a rules file starts with ...".
expect_fail 1 rulesdir.txt "$bin" check lists.d
[ "$(head -1 rulesdir.txt)" = "lists.d: error: cannot read rules file: Is a directory" ] || fail "rules dir: $(cat rulesdir.txt)"
expect_fail 1 rulesdir.txt "$bin" score lists.d --leads leads.csv --as-of 2026-11-01 --out x.csv
grep -q '^lists.d: error: cannot read rules file: Is a directory$' rulesdir.txt || fail "rules dir (score): $(cat rulesdir.txt)"

# A list file saved with a byte order mark (Notepad): the mark is not part of the first entry.
printf '\xef\xbb\xbfUS\nCA\n' > bom-countries.txt
printf '%s\nlist l = file "bom-countries.txt"\nscore s { rule "a" when country in l points 1 }\n' "$head" > bomlist.rules
"$bin" score bomlist.rules --leads leads.csv --as-of 2026-11-01 --out bom.csv --quiet || fail "bom list: exit $?"
printf 'lead_id,s,score\nA,1,1\nB,1,1\n' > want.csv
cmp -s want.csv bom.csv || { cat bom.csv; fail "bom list"; }

# ---- Arithmetic beyond the finite numbers: missing and counted, never nan/inf; JSON lines valid.
# A `sum` is never missing (the contract): one beyond the range is held at the largest number.
printf '%s\nscore s {\n  rule "big" when revenue * 10 > 5 points 1\n  rule "sum" when sum(activity.amount) > 5 points 2\n}\nclassify c { "x" when s >= 0 }\n' "$head" > overflow.rules
"$bin" score overflow.rules --leads leads.csv --activities events.csv --as-of 2026-11-01 --max-staleness none --format jsonl --out o.jsonl \
  2> summary.txt
printf '%s\n' '{"lead_id":"A","s":2,"score":2,"c":"x"}' '{"lead_id":"B","s":1,"score":1,"c":"x"}' > want.jsonl
cmp -s want.jsonl o.jsonl || { cat o.jsonl; fail "overflow: JSON lines"; }
grep -q 'values beyond the range of numbers (overflow; a sum is held at the largest number, any other value is missing): 2' \
  summary.txt || fail "overflow: $(cat summary.txt)"
# A section beyond the range (1B points times 34 factors of 1B) is missing in the output, as is the
# score: an empty cell in CSV, null in JSON lines; never the 0 the engine holds for it.
{
  printf '%s\nscore small { rule "s" when true points 5 }\nscore huge {\n  rule "h" when true points 1B\n' "$head"
  for i in $(seq 34); do printf '  multiply "m%s" when true by 1B\n' "$i"; done
  printf '}\nclassify c { "missing" when huge is missing  "present" otherwise }\n'
} > huge.rules
"$bin" score huge.rules --leads leads.csv --as-of 2026-11-01 --out huge.csv --quiet || fail "huge section: exit $?"
printf 'lead_id,small,huge,score,c\nA,5,,,missing\nB,5,,,missing\n' > want.csv
cmp -s want.csv huge.csv || { cat huge.csv; fail "huge section: CSV"; }
"$bin" score huge.rules --leads leads.csv --as-of 2026-11-01 --format jsonl --out huge.jsonl --quiet || fail "huge: exit $?"
grep -qx '{"lead_id":"A","small":5,"huge":null,"score":null,"c":"missing"}' huge.jsonl || { cat huge.jsonl; fail "huge: JSON"; }

# ---- Invalid UTF-8 (a Latin-1 export) and NUL: U+FFFD, counted per column, never in the output.
printf 'lead_id,country,revenue,name\nCaf\xe9,US,1,Jos\xe9\nB\x00x,CA,2,ok\n' > latin1.csv
printf '%s\nscore s { rule "a" when name contains "jos" points 1 }\n' "$head" > utf8.rules
"$bin" score utf8.rules --leads latin1.csv --as-of 2026-11-01 --out u.csv 2> u.txt
iconv -f UTF-8 -t UTF-8 u.csv > /dev/null || fail "invalid UTF-8 in the CSV output"
[ "$(tr -d '\000' < u.csv | wc -c)" -eq "$(wc -c < u.csv)" ] || fail "a NUL in the CSV output"
sed -n 2p u.csv | grep -qx $'Caf\xef\xbf\xbd,1,1' || fail "utf8: $(sed -n 2p u.csv | od -c | head -2)"
sed -n 3p u.csv | grep -qx $'B\xef\xbf\xbdx,0,0' || fail "utf8 NUL: $(sed -n 3p u.csv | od -c | head -2)"
grep -q 'text cells with invalid UTF-8 or NUL (replaced by U+FFFD): lead_id 2' u.txt || fail "utf8 summary: $(cat u.txt)"
grep -q 'text cells with invalid UTF-8 or NUL (replaced by U+FFFD): name 1' u.txt || fail "utf8 summary: $(cat u.txt)"
"$bin" score utf8.rules --leads latin1.csv --as-of 2026-11-01 --format jsonl --out u.jsonl --quiet
iconv -f UTF-8 -t UTF-8 u.jsonl > /dev/null || fail "invalid UTF-8 in JSON lines"
# In events: each invalid cell is counted and repaired, also when the same bytes come again (a
# value is checked once when it enters the field's dictionary; the bad bytes never do).
printf 'ruleset "u" version 1\nschema lead { lead_id: id }\nschema activity { lead_id: id  type: string  occurred_at: timestamp }\nscore s {\n  rule "demo" each activity where type == "demo" points 1\n  rule "caf" each activity where type contains "caf" points 10\n}\n' > utf8-events.rules
printf 'lead_id\nA\n' > utf8-leads.csv
printf 'lead_id,type,occurred_at\nA,Caf\xe9,2026-10-01T00:00:00Z\nA,demo,2026-10-02T00:00:00Z\nA,Caf\xe9,2026-10-03T00:00:00Z\nA,demo,2026-10-04T00:00:00Z\n' > utf8-events.csv
"$bin" score utf8-events.rules --leads utf8-leads.csv --activities utf8-events.csv --as-of 2026-11-01 --out ue.csv 2> ue.txt
grep -q 'text cells with invalid UTF-8 or NUL (replaced by U+FFFD): activity type 2' ue.txt || fail "utf8 events summary: $(cat ue.txt)"
sed -n 2p ue.csv | grep -qx 'A,22,22' || fail "utf8 events: $(cat ue.csv)"
# Numbered lead ids whose prefix holds an invalid byte: an event's id finds its lead once repaired
# exactly as the lead's id was (the fast numbered lookup must not skip the repair).
printf 'lead_id
X\xff1
X\xff2
' > utf8-numbered-leads.csv
printf 'lead_id,type,occurred_at
X\xff2,demo,2026-10-01T00:00:00Z
X\xff9,demo,2026-10-01T00:00:00Z
X2,demo,2026-10-01T00:00:00Z
' > utf8-numbered-events.csv
"$bin" score utf8-events.rules --leads utf8-numbered-leads.csv --activities utf8-numbered-events.csv --as-of 2026-11-01 \
  --out un.csv 2> un.txt
[ "$(tail -n +2 un.csv)" = $'X\xef\xbf\xbd1,0,0\nX\xef\xbf\xbd2,1,1' ] || fail "utf8 numbered ids: $(cat un.csv)"
grep -q 'text cells with invalid UTF-8 or NUL (replaced by U+FFFD): activity lead_id 2' un.txt || fail "utf8 numbered: $(cat un.txt)"
grep -q '3 events read, 1 used, 2 for unknown leads' un.txt || fail "utf8 numbered unknown: $(cat un.txt)"

# ---- Duplicate header names silently took the first.
printf 'lead_id,country,revenue,country,name\nA,US,1,CA,x\n' > dup.csv
expect_fail 1 dup.txt "$bin" score utf8.rules --leads dup.csv --as-of 2026-11-01 --out x.csv
grep -qx 'leadscore score: dup.csv: the header has column "country" twice (columns 2 and 4)' dup.txt || fail "dup: $(cat dup.txt)"

# ---- A flat chain of 200 `or` terms is not "nested too deeply"; one at the limit of 1000
# operators, and an expression as high as the tree may be (1200 levels), go through every command
# that walks the tree (the stack in an ASan build included).
or_chain() {  # `let many = country == "x0" or ... or country == "US"` with $1 `or` operators
  printf '%s\nlet many = country == "x0"' "$head"
  for i in $(seq 1 $(($1 - 1))); do printf ' or country == "x%d"' "$i"; done
  printf ' or country == "US"\n'
}
highest_tree() {  # (US or ... or US) and ... and US: 999 `or` over comparisons, then 199 `and`: 1200 levels
  printf '%s\nlet many = (country == "US"' "$head"
  for _ in $(seq 1 999); do printf ' or country == "US"'; done
  printf ')'
  for _ in $(seq 1 199); do printf ' and country == "US"'; done
  printf '\n'
}
for shape in "or_chain 199" "or_chain 1000" highest_tree; do
  { $shape; printf 'score s { rule "many" when many points 1 }\n'; } > chain.rules
  "$bin" check chain.rules > chain.txt || fail "$shape: $(head -3 chain.txt)"
  "$bin" score chain.rules --leads leads.csv --as-of 2026-11-01 --out chain.csv --quiet
  sed -n 2p chain.csv | grep -qx 'A,1,1' || fail "$shape: $(cat chain.csv)"
  "$bin" fmt --stdout chain.rules > chain.fmt || fail "fmt of $shape"
  "$bin" explain chain.rules --lead A --leads leads.csv --as-of 2026-11-01 > chain.explain || fail "explain of $shape"
  "$bin" compile chain.rules --print-graph > chain.graph || fail "compile of $shape"
  "$bin" diff chain.rules chain.rules --leads leads.csv --as-of 2026-11-01 > chain.diff || fail "diff of $shape"
done
or_chain 1001 > toolong.rules
expect_fail 1 toolong.txt "$bin" check toolong.rules
grep -q 'error: expression too long (limit 1000 operators in a row): use a list, or split it with `let`' toolong.txt ||
  fail "a chain beyond the limit: $(head -2 toolong.txt)"
{ highest_tree | sed '$s/$/ and country == "US"/'; } > toodeep.rules
expect_fail 1 toodeep.txt "$bin" check toodeep.rules
grep -q 'error: expression too deep (limit 1200 levels of operators): split it with `let`' toodeep.txt ||
  fail "a tree beyond the limit: $(head -2 toodeep.txt)"

# ---- Weights: applied only to the ruleset they were calibrated for.
cat > cal.rules <<'RULES'
ruleset "cal" version 1
schema lead { lead_id: id  country: string  y: string }
score s { rule "US" when country == "US" points 10 }
RULES
{ echo "lead_id,country,y"; for i in $(seq 1 200); do
    echo "L$i,$([ $((i % 3)) = 0 ] && echo US || echo CA),$([ $((i % 3)) = 0 ] && [ $((i % 4)) != 0 ] && echo yes || echo no)"; done; } > cal.csv
"$bin" calibrate cal.rules --leads cal.csv --outcome-column y --won yes --lost no --as-of 2026-11-01 --min-support 5 \
  --out w.yaml --quiet 2> /dev/null
hash=$(sed -n 's/^ *rules_hash: *"\{0,1\}\([0-9a-f]*\)"\{0,1\}$/\1/p' w.yaml)
[ ${#hash} -eq 16 ] || fail "no rules_hash in w.yaml: $(grep -n hash w.yaml)"
# The normal workflow: calibrate, then add the calibration line (and bump the version): it applies.
sed 's/^ruleset "cal" version 1$/ruleset "cal" version 2\ncalibration "w.yaml"/' cal.rules > cal2.rules
"$bin" check cal2.rules > c.txt || fail "check of the calibrated rules: $(cat c.txt)"
[ ! -s c.txt ] || fail "check warns on the matching weights: $(cat c.txt)"
"$bin" score cal2.rules --leads cal.csv --as-of 2026-11-01 --out cal2.csv --quiet || fail "score with matching weights"
head -1 cal2.csv | grep -qx 'lead_id,s,score,p_close,expected_value' || fail "p_close: $(head -1 cal2.csv)"
# Another ruleset: score, explain and diff stop naming both hashes; --allow-other-ruleset warns.
printf 'ruleset "other" version 1\ncalibration "w.yaml"\nschema lead { lead_id: id  country: string  y: string }\nscore s { rule "US" when country == "CA" points 10 }\n' > other.rules
expect_fail 1 other.txt "$bin" score other.rules --leads cal.csv --as-of 2026-11-01 --out other.csv
grep -q "w.yaml was calibrated for ruleset \"cal\" version 1 (rules hash $hash), not for these rules: \"other\" version 1 (rules hash [0-9a-f]\{16\}); re-run \`leadscore calibrate\` on these rules, or pass --allow-other-ruleset to apply it anyway" other.txt ||
  fail "other ruleset: $(cat other.txt)"
[ ! -e other.csv ] || fail "scores written with another ruleset's weights"
expect_fail 1 other-explain.txt "$bin" explain other.rules --lead L1 --leads cal.csv --as-of 2026-11-01
grep -q 'pass --allow-other-ruleset' other-explain.txt || fail "explain: $(cat other-explain.txt)"
expect_fail 1 other-diff.txt "$bin" diff cal2.rules other.rules --leads cal.csv --as-of 2026-11-01
grep -q 'pass --allow-other-ruleset' other-diff.txt || fail "diff: $(cat other-diff.txt)"
"$bin" score other.rules --leads cal.csv --as-of 2026-11-01 --out other.csv --allow-other-ruleset 2> allow.txt ||
  fail "--allow-other-ruleset: $(cat allow.txt)"
grep -q 'warning: .*w.yaml was calibrated for ruleset "cal".*applied anyway (--allow-other-ruleset)' allow.txt ||
  fail "allow warning: $(cat allow.txt)"
"$bin" check other.rules > other-check.txt || true
grep -q 'warning: .*w.yaml was calibrated for ruleset "cal"' other-check.txt || fail "check: $(cat other-check.txt)"
# NaN Platt coefficients wrote `nan` for every lead: the weights file is refused.
sed 's/platt: {a: [^,]*,/platt: {a: .nan,/' w.yaml > nan.yaml
grep -q 'platt: {a: .nan, b: ' nan.yaml || fail "could not write a NaN coefficient: $(grep -n 'platt' w.yaml)"
sed 's/w.yaml/nan.yaml/' cal2.rules > nan.rules
expect_fail 1 nan.txt "$bin" score nan.rules --leads cal.csv --as-of 2026-11-01 --out nan.csv
grep -q 'nan.yaml: probability.platt a and b must be finite numbers' nan.txt || fail "nan: $(cat nan.txt)"

# ---- diff git:REF:PATH with a symlink committed in the ref must not read a local file.
mkdir -p repo/rules && cd repo
git init -q && git config user.email t@t && git config user.name t
echo 'FIRST LINE OF A LOCAL SECRET' > "$work/secret.txt"
ln -s "$work/secret.txt" rules/x.rules
printf '%s\nlist l = file "l.txt"\nscore s { rule "a" when country in l points 1 }\n' "$head" > rules/ok.rules
ln -s "$work/secret.txt" rules/l.txt
git add -A && git commit -q -m t
expect_fail 1 ../git1.txt "$bin" diff git:HEAD:rules/x.rules git:HEAD:rules/x.rules --leads ../leads.csv --as-of 2026-11-01
! grep -q 'LOCAL SECRET' ../git1.txt || fail "git symlink: a local file was read: $(cat ../git1.txt)"
grep -q '"rules/x.rules" is a symbolic link to outside rules at HEAD; refused' ../git1.txt || fail "git symlink: $(cat ../git1.txt)"
expect_fail 1 ../git2.txt "$bin" diff git:HEAD:rules/ok.rules git:HEAD:rules/ok.rules --leads ../leads.csv --as-of 2026-11-01
! grep -q 'LOCAL SECRET' ../git2.txt || fail "git symlinked list: a local file was read: $(cat ../git2.txt)"
grep -q 'cannot read list file' ../git2.txt || fail "git symlinked list: $(cat ../git2.txt)"
cd ..
echo "refusals: ok"
