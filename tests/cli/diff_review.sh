#!/usr/bin/env bash
# What a pull-request reviewer sees from `leadscore diff`: every declaration's change by meaning at
# its line, MQL flips with their leads and causes, firing counts, the version warning, thresholds,
# and git:REF:PATH from a subfolder.   bash diff_review.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") REPO=$2 WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() {
  grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }
}
no_line() {
  if grep -Eq -- "$2" "$1"; then echo "--- $1:" >&2; cat "$1" >&2; fail "$3: a line matches /$2/"; fi
}
commit() { git -C "$R" -c user.name=t -c user.email=t@example.com commit -qam "$1"; }

R="$WORK/repo"
mkdir -p "$R/rules/lists" "$R/docs"
printf 'acme\n' > "$R/rules/lists/vip.txt"
cat > "$R/rules/x.rules" <<'RULES'
ruleset "demo" version 1
schema lead {
  id:      id
  company: string
  size:    int
}
list vip = file "lists/vip.txt"
let big = size >= 100
score fit {
  rule "Big"  when big            points 30
  rule "VIP"  when company in vip points 20
}
gate cpal {
  "Known size": size is present
}
mql when cpal and fit >= 40
classify tier {
  "a" when fit >= 40
  "b" otherwise
}
RULES
cat > "$WORK/leads.csv" <<'CSV'
id,company,size,region
1,acme,50,EU
2,acme,150,EU
3,other,150,US
4,other,60,US
5,beta,10,EU
6,acme,,EU
CSV
git -C "$R" init -q && git -C "$R" add . && commit one
run_diff() { "$BIN" diff "$@" --leads "$WORK/leads.csv" --as-of 2026-11-01; }

# 1. Only the layout changes (and a comment): no change, no warning.
cd "$R"
sed -i 's/rule "Big"  when big            points 30/rule "Big" when (big) points 30 # big ones/' rules/x.rules
commit fmt
run_diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules > "$WORK/fmt.out" 2> "$WORK/fmt.err"
expect_line "$WORK/fmt.out" '^Ruleset changes \(0\)$' "fmt-only: no change"
expect_line "$WORK/fmt.out" 'No declaration changed meaning' "fmt-only: said so"
[[ ! -s "$WORK/fmt.err" ]] || fail "fmt-only: stderr: $(cat "$WORK/fmt.err")"

# 2. The issue's repro: `mql when ...` becomes `mql when fit >= 30`, version unchanged.
sed -i 's/^mql when cpal and fit >= 40$/mql when fit >= 30/' rules/x.rules
commit mql
run_diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --format github > "$WORK/mql.out" 2> "$WORK/mql.err"
expect_line "$WORK/mql.out" '^  rules/x.rules:16: mql "mql" changed: when cpal and fit >= 40 -> when fit >= 30$' "mql change at its line"
# Old: fit 1:20 2:50 3:30 4:0 5:0 6:20; MQL (cpal, fit >= 40): 2. New (fit >= 30): 2, 3.
expect_line "$WORK/mql.out" '^  1 -> 2 MQLs; 1 in \(16.67%\), 0 out \(0%\), 1 flips \(16.67%\) of 6 leads$' "mql flips"
expect_line "$WORK/mql.out" '^MQL flips \(first 1 of 1\)$' "flips listed"
expect_line "$WORK/mql.out" '^  in +3 +30 -> 30 +mql definition changed$' "lead 3 flips in, explained by the mql change"
expect_line "$WORK/mql.out" '^::notice file=rules/x.rules,line=16,col=1::mql "mql" changed: when cpal and fit >= 40 -> when fit >= 30$' "mql annotation"
expect_line "$WORK/mql.out" '^::warning file=rules/x.rules,line=1::the rules changed \(1 change\) but `version` is still 1' "version warning annotation"
expect_line "$WORK/mql.err" '^leadscore diff: warning: the rules changed \(1 change\) but `version` is still 1' "version warning on stderr"

# 3. Every other kind at once, version raised: list file entries, let, section limit, rule,
#    criterion, classify branch, schema field.
sed -i 's/version 1/version 2/; s/^let big = size >= 100$/let big = size >= 60/; s/^score fit {$/score fit max 45 {/' rules/x.rules
sed -i 's/"Known size": size is present/"Known size": size >= 1/; s/"a" when fit >= 40/"a" when fit >= 25/' rules/x.rules
sed -i 's/points 20$/points 25/; s/  size:    int/  size:    int\n  region:  string/' rules/x.rules
printf 'acme\nbeta\n' > rules/lists/vip.txt
commit kinds
run_diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --format markdown --top 3 > "$WORK/kinds.md" 2> "$WORK/kinds.err"
for want in '\| rules/x.rules:6 \| field \| lead.region \| added \|' \
            '\| rules/x.rules:8 \| list \| vip \| changed \| file "lists/vip.txt" \(1 entries\) \| file "lists/vip.txt" \(2 entries\); \+1 \(beta\) \|' \
            '\| rules/x.rules:9 \| let \| big \| changed \| size >= 100 \| size >= 60 \|' \
            '\| rules/x.rules:10 \| section \| fit \| changed \| no limits \| max 45 \|' \
            '\| rules/x.rules:12 \| rule \| VIP \| changed \| when company in vip points 20 \| when company in vip points 25 \|' \
            '\| rules/x.rules:15 \| criterion \| cpal: Known size \| changed \| size is present \| size >= 1 \|' \
            '\| rules/x.rules:19 \| branch \| tier: a \| changed \| when fit >= 40 \| when fit >= 25 \|'; do
  expect_line "$WORK/kinds.md" "^$want" "markdown change row"
done
no_line "$WORK/kinds.md" 'Warning' "version raised: no warning"
# Firing counts: Big fired on 2, 3 (size >= 100); now on 2, 3, 4 (>= 60). VIP on 1, 2, 6; now also 5.
expect_line "$WORK/kinds.md" '^\| rule \| Big \| 2 \| 3 \|$' "Big fires on one more lead"
expect_line "$WORK/kinds.md" '^\| rule \| VIP \| 3 \| 4 \|$' "VIP fires on one more lead (the list file)"
expect_line "$WORK/kinds.md" '^### Firing counts \(2 changed, 1 unchanged\)$' "the criterion holds for as many leads as before"
"$BIN" diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 --format json > "$WORK/kinds.json"
python3 - "$WORK/kinds.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
kinds = sorted({c["kind"] for c in j["changes"]})
assert kinds == ["branch", "criterion", "field", "let", "list", "rule", "section"], kinds
big = [f for f in j["firing"] if f["name"] == "Big"][0]
assert (big["old"], big["new"]) == (2, 3), big
assert j["mql"]["flips"] == len(j["mql"]["leads"]), j["mql"]
assert all(l["direction"] in ("in", "out") for l in j["mql"]["leads"])
assert j["warnings"] == [], j["warnings"]
PY

# 4. --fail-if: quadrant moves, and a did-you-mean for a misspelt metric.
set +e
run_diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --fail-if 'quadrant_moves > 0' > /dev/null 2> "$WORK/quad.err"; s=$?
run_diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --fail-if 'mql_flip > 1' > /dev/null 2> "$WORK/typo.err"; t=$?
set -e
[[ $s == 3 ]] || fail "quadrant_moves > 0: exit $s"
# Tier a was fit >= 40 (lead 2 only); now fit >= 25, which every lead reaches: 5 leads move b -> a.
expect_line "$WORK/quad.err" '^leadscore diff: threshold exceeded: quadrant_moves = 5 > 0$' "quadrant_moves threshold"
[[ $t == 2 ]] || fail "misspelt metric: exit $t"
expect_line "$WORK/typo.err" 'unknown metric "mql_flip" \(did you mean "mql_flips"\?\)' "did-you-mean"

# 5. From a subfolder of the repository: PATH from the top folder, ./PATH from here, or found below here.
cd "$R/docs"
run_diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules > "$WORK/sub.out"
expect_line "$WORK/sub.out" '^  rules/x.rules:12: rule "VIP" changed' "root-relative PATH from docs/"
cd "$R/rules"
run_diff git:HEAD~1:./x.rules git:HEAD:x.rules --format github > "$WORK/here.out"
expect_line "$WORK/here.out" '^::notice file=rules/x.rules,line=12,col=8::rule "VIP" changed' "./PATH and PATH below the current folder; annotations name the path from the top"
set +e
run_diff git:HEAD~1:nope.rules git:HEAD:x.rules > /dev/null 2> "$WORK/nope.err"; s=$?
set -e
[[ $s == 1 ]] || fail "missing path: exit $s"
expect_line "$WORK/nope.err" '"nope.rules" does not exist at HEAD~1 .*here rules/' "missing path names the folder"
echo "diff_review: all checks passed"
