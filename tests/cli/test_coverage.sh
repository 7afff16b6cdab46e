#!/usr/bin/env bash
# `leadscore test --coverage`: the items no case makes true (or false), counted by hand on a small
# ruleset; JSON, annotations and --fail-under.   bash test_coverage.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") REPO=$(realpath "$2") WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > c.rules <<'RULES'
ruleset "cov" version 1
schema lead {
  id:   id
  size: int
  vip:  bool
}
score fit {
  rule "Big"   when size >= 100 points 30
  rule "Small" when size < 10   points -5
  multiply "VIP" when vip by 2
}
gate cpal {
  "Known size": size is present
  "Not tiny":   size >= 5
}
mql when cpal and fit >= 30
classify tier {
  "a" when fit >= 30
  "b" when fit >= 0
  "c" otherwise
}
RULES
cat > c.test.yaml <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: big
    lead: {id: L1, size: 150, vip: false}
    expect: {fit: 30, mql: true, tier: a}
  - name: middle
    lead: {id: L2, size: 50, vip: false}
    expect: {fit: 0, mql: false, tier: b}
YAML
# By hand: Big true (L1) and false (L2); Small and VIP never true; "Known size" and "Not tiny"
# true in both, never false; branch a chosen for L1 and false for L2; b chosen for L2 and not
# evaluated for L1 (a came first), so never false; c never chosen. Covered: Big, Known size,
# Not tiny, a, b = 5 of 8 items (62.5%).
"$BIN" test c.rules --coverage > text.out || fail "test --coverage: $(cat text.out)"
cat > text.want <<'TXT'
PASS c.test.yaml: big
PASS c.test.yaml: middle
2 passed, 0 failed
coverage (an item is covered when some case makes it true):
  c.rules: 5 of 8 covered (62.5%)
    c.rules:9:8: rule "Small" is true in no case
    c.rules:10:12: multiplier "VIP" is true in no case
    c.rules:20:3: branch "tier: c" is true in no case
    c.rules:13:3: criterion "cpal: Known size" is false in no case
    c.rules:14:3: criterion "cpal: Not tiny" is false in no case
    c.rules:19:3: branch "tier: b" is false in no case
coverage: 5 of 8 items (62.5%)
TXT
diff -u text.want text.out || fail "coverage text"

"$BIN" test c.rules --coverage --format json > json.out
python3 - json.out <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert (j["passed"], j["failed"]) == (2, 0), j
c = j["coverage"]
assert (c["covered"], c["total"], c["percent"]) == (5, 8, 62.5), c
items = {i["name"]: i for i in c["files"][0]["items"]}
assert items["Big"]["true_cases"] == 1 and items["Big"]["false_cases"] == 1, items["Big"]
assert items["tier: b"]["true_cases"] == 1 and items["tier: b"]["false_cases"] == 0, items["tier: b"]
assert not items["Small"]["covered"]
PY

"$BIN" test c.rules --coverage --format github > gh.out
grep -q '^::warning file=c.rules,line=9,col=8::rule "Small" is true in no test case$' gh.out || fail "annotation: $(cat gh.out)"

# SARIF: the same six items as `untested` warnings at their positions, valid against the schema; the
# failed-case results stay as they were (none here), and without --coverage there is no `untested`.
"$BIN" test c.rules --coverage --format sarif > cov.sarif || fail "test --coverage --format sarif: exit $?"
python3 "$REPO/tests/validate_sarif.py" "$REPO/tests/schemas/sarif-2.1.0-subset.schema.json" cov.sarif > validate.out ||
  fail "test --coverage --format sarif is not valid SARIF: $(cat validate.out)"
python3 - cov.sarif <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
got = []
for r in run["results"]:
    region = r["locations"][0]["physicalLocation"]["region"]
    assert rules[r["ruleIndex"]] == r["ruleId"] == "untested" and r["level"] == "warning", r
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "c.rules", r
    got.append((region["startLine"], region["startColumn"], r["message"]["text"].split("\n")[0]))
want = [(9, 8, 'rule "Small" is true in no test case'), (10, 12, 'multiplier "VIP" is true in no test case'),
        (13, 3, 'criterion "cpal: Known size" is false in no test case'),
        (14, 3, 'criterion "cpal: Not tiny" is false in no test case'),
        (19, 3, 'branch "tier: b" is false in no test case'), (20, 3, 'branch "tier: c" is true in no test case')]
assert sorted(got) == want, got
PY
"$BIN" test c.rules --format sarif > plain.sarif
! grep -q '"ruleId":"untested"' plain.sarif || fail "untested results without --coverage"

set +e
"$BIN" test c.rules --coverage --fail-under 70 > under.out; s=$?
"$BIN" test c.rules --coverage --fail-under 62.5 > /dev/null; t=$?
"$BIN" test c.rules --fail-under 50 > /dev/null 2> usage.err; u=$?
set -e
[[ $s == 1 ]] || fail "--fail-under 70: exit $s"
grep -q '^coverage 62.5% is below --fail-under 70%$' under.out || fail "--fail-under message: $(tail -2 under.out)"
[[ $t == 0 ]] || fail "--fail-under 62.5: exit $t"
[[ $u == 2 ]] || fail "--fail-under without --coverage: exit $u"
grep -q 'needs --coverage' usage.err || fail "usage message: $(cat usage.err)"

# An `otherwise` branch cannot be false: chosen by a case, it is covered and listed nowhere (it was
# "false in no case", in the text and as a SARIF `untested` result).
cat > o.rules <<'RULES'
ruleset "other" version 1
schema lead { id: id  size: int }
score fit { rule "Big" when size >= 100 points 30 }
classify tier {
  "a" when fit >= 30
  "rest" otherwise
}
RULES
cat > o.test.yaml <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: big
    lead: {id: L1, size: 150}
    expect: {tier: a}
  - name: small
    lead: {id: L2, size: 5}
    expect: {tier: rest}
YAML
# By hand: Big and a true for L1, false for L2; rest chosen for L2. 3 of 3 covered, nothing to list.
"$BIN" test o.rules --coverage > o.out || fail "otherwise: $(cat o.out)"
cat > o.want <<'TXT'
PASS o.test.yaml: big
PASS o.test.yaml: small
2 passed, 0 failed
coverage (an item is covered when some case makes it true):
  o.rules: 3 of 3 covered (100%)
coverage: 3 of 3 items (100%)
TXT
diff -u o.want o.out || fail "otherwise: coverage text"
"$BIN" test o.rules --coverage --format sarif > o.sarif || fail "otherwise: --format sarif exit $?"
python3 - o.sarif <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert results == [], [r["message"]["text"] for r in results]
PY

# The example rulesets: every test file runs with coverage, and the total line is there.
"$BIN" test "$REPO"/rules/examples/*.rules --coverage > examples.out || fail "examples: $(tail -5 examples.out)"
grep -Eq '^coverage: [0-9]+ of [0-9]+ items \([0-9.]+%\)$' examples.out || fail "examples coverage total"
echo "test_coverage: all checks passed"
