#!/usr/bin/env bash
# Lists the syntax errors that `leadscore check` prints without a `= hint:` line.
# One malformed rules file per must<> point of grammar/rules_grammar.hpp (the token it expects removed
# or garbled), plus the errors the builders raise. Usage: scripts/syntax_error_hints.sh build/leadscore
# Prints each error without a hint (and each case that gives no error); exits 1 if there is one.
set -u
bin=${1:?usage: $0 path/to/leadscore}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One case a line; `\n` is a newline.
cases=$(cat <<'CASES'
rule "x" when a points 1
foo
ruleset acme version 1
ruleset "a" 1
ruleset "a" version x
schema leads {}
schema lead id: id }
schema lead { id id }
schema lead { id: text }
schema lead { id: id from 3 }
schema lead { t: timestamp zone UTC }
schema lead {\n id: id\n 3 }
schema lead { score: int }
list = ["a"]
list a ["a"]
list a = "a"
list a = file lists
list a = [US]
list a = ["US" "CA"]
let = 1
let min = 1
let a 1
let a = )
let a = "abc
let a = "a\\qb"
calibration weights
score {
score s max {
score s min x {
score s max 10 rule
score s { rule "a" if x }
score s { rule a when x points 1 }
score s { rule "a" when points 1 }
score s { rule "a" when x pts 1 }
score s { rule "a" when x points }
score s { rule "a" when x points 1 max 5 }
score s { rule "a" each visit points 1 }
score s { rule "a" each activity 5 }
score s { rule "a" each activity where points 1 }
score s { rule "a" each activity within 30 points 1 }
score s { rule "a" each activity within 99999d points 1 }
score s { rule "a" each activity points 1 max x }
score s { rule "a" each activity points 1 decay 3 }
score s { multiply when a by 2 }
score s { multiply "m" a by 2 }
score s { multiply "m" when by 2 }
score s { multiply "m" when a 2 }
score s { multiply "m" when a by x }
score s { rule "a" when x points 1
score s { rule "a" when x points 1 foo }
gate { }
gate g a }
gate g { "a": }
gate g { a b: }
mql a
mql when
classify { }
classify q "a" }
classify q { "a" if x }
classify q { "a" when }
classify q { a when b }
handoff route
handoff { route }
handoff { route sdr when a to "q" }
handoff { route "a" if a to "q" }
handoff { route "a" when to "q" }
handoff { route "a" when a "q" }
handoff { route "a" when a to q }
handoff { route "a" when a to "q" within 4 }
handoff { route "a" when a to "q" owner 3 }
handoff { route "a" when a to "q" owner round robin 3 }
handoff { response call }
handoff { response when }
handoff { response when a at 3 }
handoff { working "9-5" }
handoff { working hours 9 }
handoff { target 3 }
handoff { target acceptance > 70% }
handoff { target acceptance >= x }
handoff { route "a" otherwise to "q" foo }
output score as "x" }
output { score "x" }
output { score as x }
output { score as "x" 3 }
let a = ( )
let a = (b
let a = f(b,)
let a = f(b c)
let a = count(activity within 3d where x)
let a = sum(activity)
let a = sum(activity.3)
let a = - )
let a = b * )
let a = b / )
let a = b + )
let a = b - )
let a = b == )
let a = b != )
let a = b < )
let a = b <= )
let a = b > )
let a = b >= )
score s { rule "a" when employees > points 5 }
let a = b = 1
let a = n > 1 == b
let a = b between )
let a = b between 1 or 2
let a = b between 1 and )
let a = n between (1 and 2)\nlet b = 1
let a = b in 3
let a = b not in 3
let a = b contains any 3
let a = b contains )
let a = b starts "x"
let a = b ends "x"
let a = b ends with )
let a = b is null
let a = not )
let a = b and )
let a = b or )
let a = b > 1e5
let a = 999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999
let a = account.
let a = max(interest)
let a = max(interest of people)
let a = top(3 interest of leads)
let a = count(leads where fit
account foo
account key
account key email except
mqa fit >= 1
mqa when
CASES
)
missing=0 total=0
while IFS= read -r line; do
  [ -z "$line" ] && continue
  printf '%b\n' "$line" > "$tmp/case.rules"
  out=$("$bin" check "$tmp/case.rules" 2>&1)
  # Each error, then whether a `= hint:` line follows it before the next diagnostic.
  report=$(printf '%s\n' "$out" | awk '
    /^[^ ].*:[0-9]+:[0-9]+: error: / { if (err != "") print (hint ? "ok " : "NO ") err; err = $0; hint = 0; next }
    /^[^ ].*:[0-9]+:[0-9]+: (warning|note): / { if (err != "") print (hint ? "ok " : "NO ") err; err = ""; next }
    /^   = hint: / { hint = 1 }
    END { if (err != "") print (hint ? "ok " : "NO ") err }')
  if [ -z "$report" ]; then echo "no error (the case no longer reaches its must<> point): $line"; missing=$((missing + 1)); continue; fi
  while IFS= read -r r; do
    total=$((total + 1))
    case $r in NO*) missing=$((missing + 1)); echo "no hint: ${r#NO }   <- $line" ;; esac
  done <<< "$report"
done <<< "$cases"
echo "$missing of $total errors without a hint"
[ "$missing" -eq 0 ]
