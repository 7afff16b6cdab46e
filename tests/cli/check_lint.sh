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
expect_line text.out '^lint.rules:7:6: warning: list `spare` is never used$' "unused list"
expect_line text.out '^lint.rules:10:27: warning: rule "Mid-market" overlaps rule "Enterprise" \(line 9\): both add points when employees between 1000 and 2000$' "overlapping tiers"
expect_line text.out '^lint.rules:11:27: warning: rule "Typo" can never fire: `employees between 5000 and 200` matches nothing$' "never fires"
expect_line text.out '^ += hint: `between` needs the smaller bound first: `employees between 200 and 5000`$' "hint"
expect_line text.out '^lint.rules:14:15: warning: gate `g`: criterion "Has size" is always true$' "always-true criterion"
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
expect_line json.out '"line":7,"column":6,"severity":"warning"' "json warning"

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
echo "check_lint: all checks passed"
