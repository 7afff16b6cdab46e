#!/usr/bin/env bash
# `leadscore test` through the real binary: bash test_command.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$1 REPO=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_status() {  # expect_status WANT GOT WHAT
  [[ $2 == "$1" ]] || fail "$3: exit status $2, expected $1"
}
expect_line() {  # expect_line FILE REGEX WHAT
  grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }
}

# 1. Every example ruleset's tests pass, found beside the rules by convention.
set +e; "$BIN" test "$REPO"/rules/examples/*.rules > "$WORK/examples.out" 2>&1; status=$?; set -e
expect_status 0 $status "example tests"
expect_line "$WORK/examples.out" '^25 passed, 0 failed$' "example tests summary"
[[ $(grep -c '^PASS ' "$WORK/examples.out") == 25 ]] || fail "expected 25 PASS lines"

# A private copy of one ruleset to break.
cp "$REPO/rules/examples/b2b-saas.rules" "$WORK/acme.rules"
cp -r "$REPO/rules/examples/lists" "$WORK/lists"

# 2. A failing case names the case, the expectation's file:line:col, expected vs actual, and explains the lead.
cat > "$WORK/acme.test.yaml" <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: passes
    lead: {lead_id: A1, country: US}
    expect:
      fit: 15
  - name: wrong fit
    lead: {lead_id: A2, country: US, employees: 1500}
    events:
      - {type: demo_request, occurred_at: -3d}
    expect:
      interest: 40
      fit: 99
      fired: [Demo request (30d), Junior title]
YAML
set +e; "$BIN" test "$WORK/acme.rules" > "$WORK/fail.out" 2>&1; status=$?; set -e
expect_status 1 $status "failing case"
expect_line "$WORK/fail.out" '^PASS .*acme.test.yaml: passes$' "passing case listed"
expect_line "$WORK/fail.out" '^FAIL .*acme.test.yaml: wrong fit$' "failing case named"
expect_line "$WORK/fail.out" "acme.test.yaml:13:7: fit: expected 99, got 35$" "expectation line:col with expected and actual"
expect_line "$WORK/fail.out" "acme.test.yaml:14:35: fired: expected \"Junior title\" to fire, but it did not$" "fired label position"
expect_line "$WORK/fail.out" 'Enterprise \(1000\+\) +employees = 1500 >= 1000' "explanation of the lead"
expect_line "$WORK/fail.out" '^1 passed, 1 failed$' "summary"
if grep -q 'interest: expected' "$WORK/fail.out"; then fail "a met expectation was reported"; fi

# 3. --format github adds workflow annotations for each failed expectation.
set +e; "$BIN" test "$WORK/acme.rules" --format github > "$WORK/github.out" 2>&1; status=$?; set -e
expect_status 1 $status "github format"
expect_line "$WORK/github.out" '^::error file=.*acme.test.yaml,line=13,col=7::case "wrong fit": fit: expected 99, got 35$' "github annotation"

# 3b. --format sarif: each failed expectation a result at its position, valid against the schema.
set +e; "$BIN" test "$WORK/acme.rules" --format sarif > "$WORK/test.sarif" 2> "$WORK/sarif.err"; status=$?; set -e
expect_status 1 $status "sarif format"
python3 "$REPO/tests/validate_sarif.py" "$REPO/tests/schemas/sarif-2.1.0-subset.schema.json" "$WORK/test.sarif" \
  > "$WORK/validate.out" || fail "test --format sarif is not valid SARIF: $(cat "$WORK/validate.out")"
python3 - "$WORK/test.sarif" <<'PY' || fail "test --format sarif content"
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
failed = [r for r in results if r["ruleId"] == "test-failed"]
wrong = [r for r in failed if r["message"]["text"] == 'case "wrong fit": fit: expected 99, got 35']
assert len(wrong) == 1, failed
loc = wrong[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"].endswith("acme.test.yaml"), loc
assert loc["region"] == {"startLine": 13, "startColumn": 7}, loc
assert wrong[0]["level"] == "error"
PY

# 4. --cases FILE, and a ruleset whose tests all pass with it.
cat > "$WORK/other.yaml" <<'YAML'
- name: explicit as_of per case, relative times
  as_of: 2026-06-01
  lead: {lead_id: B1}
  events:
    - {type: pricing_view, occurred_at: -1w}
    - {type: pricing_view, occurred_at: -13d23h}
  expect: {interest: 20, quadrant: drop, mql: false}
YAML
set +e; "$BIN" test "$WORK/acme.rules" --cases "$WORK/other.yaml" > "$WORK/cases.out" 2>&1; status=$?; set -e
expect_status 0 $status "--cases FILE"
expect_line "$WORK/cases.out" '^1 passed, 0 failed$' "--cases summary"

# 5. Malformed YAML: file:line:col: error: like a rules file, with the line and a caret.
printf 'as_of: 2026-11-01\ncases:\n  - name: broken\n    lead: {lead_id: x, employees: [1}\n' > "$WORK/broken.yaml"
set +e; "$BIN" test "$WORK/acme.rules" --cases "$WORK/broken.yaml" > "$WORK/broken.out" 2>&1; status=$?; set -e
expect_status 1 $status "malformed YAML"
expect_line "$WORK/broken.out" 'broken.yaml:4:[0-9]+: error: malformed YAML' "malformed YAML position"
expect_line "$WORK/broken.out" '^ +\| +\^$' "caret under the column"

# 6. Unknown names: did-you-mean for fields, outputs and labels.
cat > "$WORK/typos.yaml" <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: typos
    lead: {lead_id: T1, emial: a@b.com}
    events:
      - {type: page_view, occured_at: -1d}
    expect:
      intrest: 3
      fired: [Demo request (30 d)]
      quadrant: hott
YAML
set +e; "$BIN" test "$WORK/acme.rules" --cases "$WORK/typos.yaml" > "$WORK/typos.out" 2>&1; status=$?; set -e
expect_status 1 $status "unknown names"
expect_line "$WORK/typos.out" 'typos.yaml:4:25: error: unknown lead field "emial" \(did you mean "email"\?\)' "lead field typo"
expect_line "$WORK/typos.out" 'typos.yaml:6:27: error: unknown activity field "occured_at" \(did you mean "occurred_at"\?\)' "activity field typo"
expect_line "$WORK/typos.out" 'typos.yaml:8:7: error: unknown expectation "intrest" \(did you mean "interest"\?\)' "output typo"
expect_line "$WORK/typos.out" 'typos.yaml:9:15: error: no rule, multiplier or gate criterion is labeled "Demo request \(30 d\)" \(did you mean "Demo request \(30d\)"\?\)' "label typo"
expect_line "$WORK/typos.out" 'typos.yaml:10:17: error: "hott" is not a value of classify quadrant \(did you mean "hot"\?\)' "classify value typo"
expect_line "$WORK/typos.out" '^0 passed, 1 failed$' "a case with errors counts as failed"

# 6b. A key given twice in a map is an error at the second one (yaml-cpp kept both, and the last
# `country` silently won, so this case passed).
cat > "$WORK/twice.yaml" <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: twice
    lead: {lead_id: D1, country: DE, country: US}
    expect: {fit: 15}
YAML
set +e; "$BIN" test "$WORK/acme.rules" --cases "$WORK/twice.yaml" > "$WORK/twice.out" 2>&1; status=$?; set -e
expect_status 1 $status "duplicate key"
expect_line "$WORK/twice.out" 'twice.yaml:4:38: error: duplicate key "country": it is already given in this map' "duplicate key position"
expect_line "$WORK/twice.out" '^0 passed, 1 failed$' "a case with a duplicate key counts as failed"

# 7. No test file beside the rules; usage errors.
cp "$WORK/acme.rules" "$WORK/lonely.rules"
set +e; "$BIN" test "$WORK/lonely.rules" > "$WORK/missing.out" 2>&1; status=$?; set -e
expect_status 1 $status "missing test file"
expect_line "$WORK/missing.out" 'lonely.rules: no test file: .*lonely.test.yaml' "missing test file message"
set +e; "$BIN" test > /dev/null 2>&1; status=$?; set -e
expect_status 2 $status "no rules file"
set +e; "$BIN" test "$WORK/acme.rules" --format xml > /dev/null 2>&1; status=$?; set -e
expect_status 2 $status "bad --format"
# 7b. A value with a line break makes its CSV row span several lines: each later case still gets its
# own as-of instant and its own row (cases were found by line number: a wrong as_of, then a crash).
cat > "$WORK/lines.rules" <<'RULES'
ruleset "lines" version 1
schema lead { lead_id: id  title: string  created_at: timestamp }
schema activity { lead_id: id  type: string  at: timestamp }
score s {
  rule "b in title" when title contains "b" points 1
  rule "New"        when days_since(created_at) < 10 points 10
  rule "Event"      when exists(activity where type contains "x" within 30d) points 100
}
RULES
cat > "$WORK/lines.test.yaml" <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: line breaks in a lead value and an event value
    lead: {lead_id: M1, title: "a\nb"}
    events: [{type: "x\ny", at: -1d}]
    expect: {s: 101}
  - name: created 5 days before its own as_of
    as_of: 2026-10-30T00:00:00Z
    lead: {lead_id: M2, created_at: 2026-10-25T00:00:00Z}
    expect: {s: 10}
  - name: two line breaks
    as_of: 2027-01-01T00:00:00Z
    lead: {lead_id: M3, title: "multi\nline\nb", created_at: 2026-10-25T00:00:00Z}
    expect: {s: 1}
YAML
set +e; "$BIN" test "$WORK/lines.rules" > "$WORK/lines.out" 2>&1; status=$?; set -e
expect_status 0 $status "line breaks in values"
expect_line "$WORK/lines.out" '^3 passed, 0 failed$' "line breaks in values: every case passes"
# A failing case after a multi-line row explains its own lead at its own as_of.
sed 's/expect: {s: 10}/expect: {s: 11}/' "$WORK/lines.test.yaml" > "$WORK/lines-fail.yaml"
set +e; "$BIN" test "$WORK/lines.rules" --cases "$WORK/lines-fail.yaml" > "$WORK/lines-fail.out" 2>&1; status=$?; set -e
expect_status 1 $status "line breaks in values, a failing case"
expect_line "$WORK/lines-fail.out" 'lines-fail.yaml:10:14: s: expected 11, got 10$' "failing case after a multi-line row"
expect_line "$WORK/lines-fail.out" '^    lead M2 \(the case on line 7 of the test file\) as of 2026-10-30T00:00:00Z$' "explained lead"
expect_line "$WORK/lines-fail.out" '^2 passed, 1 failed$' "line breaks in values, summary"

# 7c. An event with another lead id is another lead's: not counted for the case's lead, nor for the
# lead of another case that has that id (cases are scored apart). It was counted for the case's lead.
cat > "$WORK/ids.rules" <<'RULES'
ruleset "ids" version 1
schema lead { lead_id: id }
schema activity { lead_id: id  type: string  at: timestamp }
score interest { rule "Any" when exists(activity where type == "b") points 1 }
RULES
cat > "$WORK/ids.test.yaml" <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: another lead's event
    lead: {lead_id: L1}
    events: [{type: b, at: -1d, lead_id: OTHER}]
    expect: {interest: 0}
  - name: its own event, by id
    lead: {lead_id: L2}
    events: [{type: b, at: -1d, lead_id: L2}]
    expect: {interest: 1}
  - name: an event of the next case's lead
    lead: {lead_id: L3}
    events: [{type: b, at: -1d, lead_id: L4}]
    expect: {interest: 0}
  - name: the next case's lead
    lead: {lead_id: L4}
    expect: {interest: 0}
  - name: the default id
    events: [{type: b, at: -1d, lead_id: test-lead}]
    expect: {interest: 1}
YAML
set +e; "$BIN" test "$WORK/ids.rules" > "$WORK/ids.out" 2>&1; status=$?; set -e
expect_status 0 $status "events of other leads"
expect_line "$WORK/ids.out" '^5 passed, 0 failed$' "events of other leads: every case passes"
# A `from row` id is 1 in every case: an event of lead 2 is not the second case's.
sed 's/schema lead { lead_id: id }/schema lead { n: id from row  title: string }/' "$WORK/ids.rules" > "$WORK/rows.rules"
grep -q 'from row' "$WORK/rows.rules" || fail "rows.rules"
cat > "$WORK/rows.test.yaml" <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: an event of lead 2
    lead: {title: one}
    events: [{type: b, at: -1d, lead_id: 2}]
    expect: {interest: 0}
  - name: second case
    lead: {title: two}
    expect: {interest: 0}
YAML
set +e; "$BIN" test "$WORK/rows.rules" > "$WORK/rows.out" 2>&1; status=$?; set -e
expect_status 0 $status "events of other leads, from row"
expect_line "$WORK/rows.out" '^2 passed, 0 failed$' "events of other leads, from row: every case passes"

# 7d. A lead whose only column is empty (a `from row` id and one field) is a row of its own: it was
# written as an empty line, which the reader skips, so the next case's lead was scored in its place.
cat > "$WORK/one.rules" <<'RULES'
ruleset "one" version 1
schema lead { n: id from row  title: string }
score s { rule "No title" when title is missing points 1 }
RULES
cat > "$WORK/one.test.yaml" <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: no title
    expect: {s: 1}
  - name: a title
    lead: {title: x}
    expect: {s: 0}
YAML
set +e; "$BIN" test "$WORK/one.rules" > "$WORK/one.out" 2>&1; status=$?; set -e
expect_status 0 $status "an empty one-column row"
expect_line "$WORK/one.out" '^2 passed, 0 failed$' "an empty one-column row: every case passes"

# 8. Many cases run in linear time: 50,000 cases (minutes before the rules were compiled once per file
# and the cases loaded as one file). A guard against the quadratic, not a speed test.
awk 'BEGIN { print "as_of: 2026-11-01T00:00:00Z"; print "cases:";
             for (i = 0; i < 50000; i++) printf "  - name: case %d\n    lead: {lead_id: L%d, title: VP}\n    expect: {mql: false}\n", i, i % 7 }' \
  > "$WORK/many.yaml"
started=$(date +%s)
"$BIN" test "$WORK/acme.rules" --cases "$WORK/many.yaml" > "$WORK/many.out" || { tail -5 "$WORK/many.out"; fail "50,000 cases"; }
elapsed=$(( $(date +%s) - started ))
expect_line "$WORK/many.out" '^50000 passed, 0 failed$' "50,000 cases pass"
[ $elapsed -lt 300 ] || fail "50,000 cases took ${elapsed} s (quadratic again?)"
echo "test_command: all checks passed"
