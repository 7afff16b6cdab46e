#!/usr/bin/env bash
# `leadscore suggest --section NAME`: bash suggest_section.sh LEADSCORE_BIN REPO_DIR WORK_DIR. A value
# that is not a name (or is a reserved word) is a usage error; a name the ruleset already declares is
# made unique, and the written file passes `check`.
set -euo pipefail
BIN=$1 REPO=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {  # run OUT ERR CMD...: sets $status, never exits
  local out=$1 err=$2; shift 2
  set +e; "$@" > "$out" 2> "$err"; status=$?; set -e
}
expect_status() { [[ $2 == "$1" ]] || { cat "$WORK/err" >&2; fail "$3: exit status $2, expected $1"; }; }
expect_line() {  # expect_line FILE REGEX WHAT
  grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }
}

cat > "$WORK/thin.rules" <<'RULES'
ruleset "thin" version 1

schema lead {
  lead_id: id
  region:  string
}

let boost = region == "EU"

score fit {
  rule "EU"  when boost  points 5
}
RULES
awk 'BEGIN {
  print "lead_id,region,outcome"
  split("EU US APAC LATAM", regions, " ")
  state = 42
  for (i = 0; i < 1000; i++) {
    state = (state * 16807) % 2147483647
    region = regions[i % 4 + 1]
    won = state % 20 < (region == "APAC" ? 10 : 2)
    printf "L%d,%s,%s\n", i, region, won ? "won" : "lost"
  }
}' > "$WORK/leads.csv"
suggest() { run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" \
  --outcome-column outcome --as-of 2027-01-01 --out "$WORK/s.rules" "$@"; }

# Not a name: a usage error that says what a section name is.
for bad in 'bad name' '2nd' 'my-rules' '' 'naïve'; do
  rm -f "$WORK/s.rules"
  suggest --section "$bad"
  expect_status 2 "$status" "--section '$bad'"
  expect_line "$WORK/err" '^leadscore suggest: --section ".*" is not a name: a section name is a letter or _, then letters, digits or _ \(such as suggested_rules\), and not a keyword \(see `leadscore help suggest`\)$' "the message for '$bad'"
  [[ ! -e $WORK/s.rules ]] || fail "an output was written for --section '$bad'"
done
# A reserved word.
for word in score mql rule when; do
  suggest --section "$word"
  expect_status 2 "$status" "--section $word"
  expect_line "$WORK/err" "^leadscore suggest: --section $word: \`$word\` is a keyword of the rules language, not a name; a section name is a letter or _, then letters, digits or _ \(such as suggested_rules\) \(see \`leadscore help suggest\`\)\$" "the message for $word"
done
# A good name, and names the ruleset declares (a section, a let, a field): made unique.
suggest --section my_rules
expect_status 0 "$status" "--section my_rules"
expect_line "$WORK/s.rules" '^score my_rules \{$' "the section"
for taken in fit boost region suggested; do
  suggest --section "$taken"
  expect_status 0 "$status" "--section $taken"
  expect_line "$WORK/s.rules" "^score ${taken}(_2)? \\{\$" "the section for $taken"
  [[ $taken == suggested ]] || expect_line "$WORK/s.rules" "^score ${taken}_2 \\{\$" "the unique section for $taken"
  run "$WORK/out" "$WORK/err" "$BIN" check "$WORK/s.rules"
  expect_status 0 "$status" "check with --section $taken"
done
echo "suggest_section: ok"
