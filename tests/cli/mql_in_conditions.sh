#!/usr/bin/env bash
# `mql` as a value in conditions (docs/language.md: a route condition may use sections, gates, `mql`
# and classify values): routes, classifies and rules read the lead's MQL decision, true or false;
# cycles through it and uses where it cannot be are errors at the name.
set -euo pipefail
bin=$1 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
head='ruleset "m" version 1
schema lead { lead_id: id  employees: number }'

cat > m.rules <<R
$head
score fit { rule "Big" when employees >= 100 points 60 }
score bonus { rule "MQL bonus" when mql points 5 }
mql when fit >= 50
classify tier {
  "hot" when mql and employees >= 1000
  "warm" when mql
  "cold" otherwise
}
handoff {
  route "SDR" when mql to "sdr"
  route "Nurture" otherwise to "marketing"
}
R
"$bin" check m.rules > check.txt 2>&1 || fail "check: $(cat check.txt)"
# L3's employees is missing: fit 0, mql false (never unknown), so no bonus and the `otherwise` branches.
printf 'lead_id,employees\nL1,5000\nL2,200\nL3,\nL4,5\n' > l.csv
"$bin" score m.rules --leads l.csv --as-of 2026-11-01 --out out.csv --quiet
cut -d, -f1-7 out.csv > got.csv
printf '%s\n' lead_id,fit,bonus,score,mql,tier,route L1,60,5,65,true,hot,SDR L2,60,5,65,true,warm,SDR \
  L3,0,0,0,false,cold,Nurture L4,0,0,0,false,cold,Nurture > want.csv
diff -u want.csv got.csv || fail "scores"
"$bin" explain m.rules --lead L2 --leads l.csv --as-of 2026-11-01 > explain.txt
grep -Eq '^ +\+5 +MQL bonus +mql = true' explain.txt || fail "explain: $(cat explain.txt)"
"$bin" fmt --stdout m.rules > f.rules && "$bin" check f.rules > /dev/null 2>&1 || fail "fmt output does not check"
grep -Eq 'route "SDR" +when mql +to "sdr"' f.rules || fail "fmt: $(cat f.rules)"

# Errors at the name.
expect_error() {  # expect_error NAME REGEX RULES-BODY
  printf '%s\n%s\n' "$head" "$3" > "$1.rules"
  if "$bin" check "$1.rules" > "$1.txt" 2>&1; then fail "$1 compiled"; fi
  grep -Eq -- "$2" "$1.txt" || fail "$1: $(cat "$1.txt")"
}
expect_error self '^self.rules:3:1: error: cycle between declarations: mql -> mql$' 'mql when mql or employees > 5'
expect_error loop 'error: cycle between declarations: (bonus -> mql -> score -> bonus|mql -> score -> bonus -> mql)$' \
  'score bonus { rule "b" when mql points 5 }
mql when score >= 50'
expect_error undeclared '^undeclared.rules:3:23: error: `mql` is used but not declared$' 'classify q { "a" when mql }'
grep -q 'hint: declare it, e.g. mql when' undeclared.txt || fail "undeclared hint: $(cat undeclared.txt)"
expect_error filter 'error: `mql` cannot be used in an activity filter' 'schema activity { lead_id: id  at: timestamp }
score s { rule "e" when exists(activity where mql) points 1 }
mql when employees > 5'
echo "mql_in_conditions: ok"
