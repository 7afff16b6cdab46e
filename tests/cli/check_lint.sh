#!/usr/bin/env bash
# Lint warnings through `leadscore check`: bash check_lint.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$1 REPO=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {  # run OUT CMD...: stdout and stderr to OUT, sets $status
  local out=$1; shift
  set +e; "$@" > "$out" 2>&1; status=$?; set -e
}
expect_status() { [[ $2 == "$1" ]] || fail "$3: exit status $2, expected $1"; }
expect_line() {  # expect_line FILE REGEX WHAT
  grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }
}

cd "$WORK"
cat > lint.rules <<'RULES'
ruleset "lint-demo" version 1
schema lead {
  lead_id:   id
  employees: int
  country:   string
}
list spare = ["a"]
score fit {
  rule "Enterprise"  when employees >= 1000               points 20
  rule "Mid-market"  when employees between 500 and 2000  points 10
  rule "Typo"        when employees between 5000 and 200  points 5
}
gate g {
  "Has size": employees is missing or employees is present
}
RULES

# 1. Warnings are shown with position, source line, caret and hint, and do not fail the check.
run text.out "$BIN" check lint.rules
expect_status 0 $status "check with warnings only"
expect_line text.out '^lint.rules:7:6: warning: list `spare` is never used \[unused-list\]$' "unused list"
expect_line text.out '^lint.rules:10:27: warning: rule "Mid-market" overlaps rule "Enterprise" \(line 9\): both add points when employees between 1000 and 2000 \[overlapping-tiers\]$' "overlapping tiers"
expect_line text.out '^lint.rules:11:27: warning: rule "Typo" can never fire: `employees between 5000 and 200` matches nothing \[impossible-condition\]$' "never fires"
expect_line text.out '^ += hint: `between` needs the smaller bound first: `employees between 200 and 5000`$' "hint"
expect_line text.out '^lint.rules:14:15: warning: gate `g`: criterion "Has size" is always true \[always-true-criterion\]$' "always-true criterion"
expect_line text.out '^ 11 \|   rule "Typo" ' "source line"
expect_line text.out '^    \|                           \^$' "caret under column 27"
expect_line text.out '^0 errors, 4 warnings$' "summary"

# 2. --warnings-as-errors makes them fatal.
run strict.out "$BIN" check --warnings-as-errors lint.rules
expect_status 1 $status "check --warnings-as-errors with warnings"

# 3. GitHub annotations: one ::warning line per warning, with file, line and column.
run github.out "$BIN" check --format github --warnings-as-errors lint.rules
expect_status 1 $status "check --format github --warnings-as-errors"
[[ $(grep -c '^::warning file=lint.rules,line=[0-9]*,col=[0-9]*::' github.out) == 4 ]] || { cat github.out >&2; fail "expected 4 ::warning lines"; }
expect_line github.out '^::warning file=lint.rules,line=11,col=27::rule "Typo" can never fire' "annotation of the never-firing rule"

# 4. JSON carries the severity.
run json.out "$BIN" check --format json lint.rules
expect_status 0 $status "check --format json"
expect_line json.out '"line":7,"column":6,"severity":"warning",.*"code":"unused-list"' "json warning"
# An error's code is SARIF-only: null in JSON, as docs/cli.md says (it was "syntax-error").
printf 'mql when (1 > 0\n' > syntax.rules
run syntax.json "$BIN" check --format json syntax.rules
expect_status 1 $status "check --format json, syntax error"
expect_line syntax.json '"severity":"error",.*"code":null' "json syntax error without a code"
if grep -q 'syntax-error' syntax.json; then fail "json syntax error carries its SARIF code: $(cat syntax.json)"; fi

# 5. Errors and warnings together: exit 1, both reported.
sed 's/employees >= 1000 /employes >= 1000  /' lint.rules > mixed.rules
run mixed.out "$BIN" check --format github mixed.rules
expect_status 1 $status "check with an error"
expect_line mixed.out '^::error file=mixed.rules,line=9,col=27::unknown name `employes`' "error annotation"

# 6. The repository's rules files and the contract's example are warning-free under --warnings-as-errors.
shopt -s nullglob
run repo.out "$BIN" check --warnings-as-errors "$REPO"/rules/examples/*.rules "$REPO"/bench/*.rules
expect_status 0 $status "repository rules: $(cat repo.out)"
contract="$REPO/../shared/conformance/cases/14-check-clean/rules.rules"
if [[ -f $contract ]]; then
  run contract.out "$BIN" check --warnings-as-errors "$contract"
  expect_status 0 $status "the contract's example: $(cat contract.out)"
fi
# 7. Silencing: on the line, on the next line of code, for the whole file; counted, not shown.
cat > allowed.rules <<'RULES'
# leadscore: allow-file always-true-criterion -- every lead passes this gate on purpose
ruleset "lint-demo" version 1
schema lead {
  lead_id:   id
  employees: int
  country:   string
}
list spare = ["a"]  # leadscore: allow unused-list
score fit {
  rule "Enterprise"  when employees >= 1000               points 20
  # leadscore: allow overlapping-tiers -- 1000-2000 get both on purpose

  rule "Mid-market"  when employees between 500 and 2000  points 10
  rule "Typo"        when employees between 5000 and 200  points 5
}
gate g {
  "Has size": employees is missing or employees is present
}
RULES
run allowed.out "$BIN" check allowed.rules
expect_status 0 $status "check with silenced warnings"
expect_line allowed.out '^allowed.rules:14:27: warning: rule "Typo" can never fire' "the warning nothing silences"
expect_line allowed.out '^0 errors, 1 warning \(3 silenced\)$' "summary counts the silenced ones"
[[ $(grep -c 'warning:' allowed.out) == 1 ]] || { cat allowed.out >&2; fail "silenced warnings are not shown"; }
sed -i 's/  rule "Typo" .*//' allowed.rules
run allowed2.out "$BIN" check --warnings-as-errors allowed.rules
expect_status 0 $status "--warnings-as-errors with only silenced warnings: $(cat allowed2.out)"
expect_line allowed2.out '^0 errors, 0 warnings \(3 silenced\)$' "summary with silenced warnings only"
run allowed.json "$BIN" check --format json allowed.rules
[[ $(cat allowed.json) == "[]" ]] || fail "json leaves silenced warnings out: $(cat allowed.json)"

# 8. A misspelt code in an allow comment is a warning with a did-you-mean, and silences nothing.
sed 's/allow unused-list/allow unused-lists/' allowed.rules > typo.rules
run typo.out "$BIN" check typo.rules
expect_line typo.out '^typo.rules:8:40: warning: unknown warning code `unused-lists`; did you mean `unused-list`\? \[invalid-allow\]$' "misspelt code"
expect_line typo.out '^typo.rules:8:6: warning: list `spare` is never used \[unused-list\]$' "not silenced by a misspelt code"

# 9. SARIF 2.1.0, valid against the schema in tests/schemas; silenced warnings as suppressed results.
run sarif.out "$BIN" check --format sarif lint.rules allowed.rules mixed.rules
expect_status 1 $status "check --format sarif with an error"
schema=$REPO/tests/schemas/sarif-2.1.0-subset.schema.json
python3 "$REPO/tests/validate_sarif.py" "$schema" sarif.out > validate.out || fail "SARIF invalid: $(cat validate.out)"
python3 - sarif.out <<'PY' || fail "SARIF content"
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
assert {"unused-list", "overlapping-tiers", "syntax-error", "invalid-rules", "test-failed"} <= set(rules), rules.keys()
assert "docs/warnings.md#unused-list" in rules["unused-list"]["help"]["text"]
results = run["results"]
def at(uri, line):
    return [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
            and r["locations"][0]["physicalLocation"]["region"]["startLine"] == line]
typo = at("lint.rules", 11)
assert [r["ruleId"] for r in typo] == ["impossible-condition"], typo
assert typo[0]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 27
assert typo[0]["level"] == "warning"
silenced = [r for r in results if r.get("suppressions")]
assert sorted(r["ruleId"] for r in silenced) == ["always-true-criterion", "overlapping-tiers", "unused-list"], silenced
assert any(s.get("justification") == "1000-2000 get both on purpose" for r in silenced for s in r["suppressions"])
err = at("mixed.rules", 9)
assert err and err[0]["level"] == "error" and err[0]["ruleId"] == "invalid-rules", err
PY
# The validator does reject what is not SARIF.
sed 's/"level": "warning"/"level": "fatal"/' sarif.out > broken.sarif
if python3 "$REPO/tests/validate_sarif.py" "$schema" broken.sarif > /dev/null; then fail "the validator accepted level \"fatal\""; fi

echo "check_lint: all checks passed"
