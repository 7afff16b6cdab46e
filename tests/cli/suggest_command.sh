#!/usr/bin/env bash
# `leadscore suggest` through the real binary: bash suggest_command.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$1 REPO=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {  # run OUT ERR CMD...: sets $status, never exits
  local out=$1 err=$2; shift 2
  set +e; "$@" > "$out" 2> "$err"; status=$?; set -e
}
expect_status() { [[ $2 == "$1" ]] || fail "$3: exit status $2, expected $1"; }
expect_line() {  # expect_line FILE REGEX WHAT
  grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }
}

cat > "$WORK/thin.rules" <<'RULES'
ruleset "thin" version 1

schema lead {
  lead_id: id
  seats:   int
  region:  string
  signed:  date
  refunds: int  # leaks: refunds happen after the sale
}

score fit {
  rule "EU"  when region == "EU"  points 5
}
RULES
# 1333 leads, signed one a day (28-day months) from 2020-01-01 (the split follows --time-field signed): 1 in 20
# closes, 8 more in 20 with 100+ seats, 7 more in APAC; refunds copies the outcome (a leak).
awk 'BEGIN {
  print "lead_id,seats,region,signed,refunds,outcome"
  split("EU US APAC LATAM", regions, " ")
  state = 42
  for (i = 0; i < 1333; i++) {
    state = (state * 16807) % 2147483647
    seats = (i * 37) % 400
    region = regions[int(i / 2) % 4 + 1]
    chance = 1 + (seats >= 100 ? 8 : 0) + (region == "APAC" ? 7 : 0)
    won = state % 20 < chance
    printf "L%d,%d,%s,%d-%02d-%02d,%d,%s\n", i, seats, region, 2020 + int(i / 336), int(i / 28) % 12 + 1, i % 28 + 1, won, won ? "won" : "lost"
  }
}' > "$WORK/leads.csv"

# 0. The default chooser: candidates found on the whole training part (933 leads), chosen by 5-fold
# cross-validation; the region rule is found and the test AUC rises.
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --as-of 2027-01-01 --time-field signed --out "$WORK/cv.rules"
expect_status 0 "$status" "suggest (cross-validation)"
expect_line "$WORK/err" '^train 933 closed leads \(base close rate [0-9.]+%\): rules found on all of them and chosen by 5-fold cross-validation; test 400 newest leads$' "the parts"
expect_line "$WORK/err" '^held-out \(cross-validated\) AUC: 0\.[0-9]{4} with the current rules, 0\.[0-9]{4} with [1-9] suggested rules$' "summary"
expect_line "$WORK/cv.rules" '^  rule "region in \[APAC\]" +when region in \["APAC"\] +points [1-9][0-9]*$' "the region rule"
expect_line "$WORK/cv.rules" '; held-out AUC \+0\.[0-9]{4}$' "the evidence comment"
awk '/^test AUC:/ { exit !($7 > $4 + 0.1) }' "$WORK/err" || { cat "$WORK/err"; fail "cross-validated suggestions do not raise the test AUC"; }
run "$WORK/out" "$WORK/err" "$BIN" check "$WORK/cv.rules"
expect_status 0 "$status" "check of the cross-validated suggestions"
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --as-of 2027-01-01 --validation-fraction 0.3 --out "$WORK/x.rules"
expect_status 2 "$status" "--validation-fraction without --choose-by validation"

# 1. --choose-by validation: the older 700 training leads find, the newer 233 choose. Suggestions with
# their evidence; the output compiles, lints clean and is formatted.
choose=(--choose-by validation)
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --as-of 2027-01-01 --time-field signed "${choose[@]}" --out "$WORK/suggested.rules"
expect_status 0 "$status" "suggest"
expect_line "$WORK/err" '^validation AUC: 0\.[0-9]{4} with the current rules, 0\.[0-9]{4} with [1-9] suggested rules$' "summary"
expect_line "$WORK/err" '^test AUC: 0\.[0-9]{4} with the current rules, 0\.[0-9]{4} with [1-9] suggested rules$' "summary"
expect_line "$WORK/err" '^train [0-9]+ closed leads: 700 older to find rules \(base close rate [0-9.]+%\), 233 newer to choose them; test 400 newest leads$' "the three parts"
expect_line "$WORK/suggested.rules" '^# Test AUC on the 400 newest leads, which had no say: 0\.[0-9]{4} with the rules above, 0\.[0-9]{4} with these added$' "the test AUC in the header"
expect_line "$WORK/suggested.rules" '^# \(fitted on the 933 leads before them\)\.$' "the test AUC in the header"
expect_line "$WORK/err" '\(not used: refunds\)' "the leaking field is named as not used"
expect_line "$WORK/suggested.rules" '^score suggested \{$' "the section"
expect_line "$WORK/suggested.rules" '^  rule "seats >= 100" +when seats >= 100 +points [1-9][0-9]*$' "the seats rule"
expect_line "$WORK/suggested.rules" '^  rule "region in \[APAC\]" +when region in \["APAC"\] +points [1-9][0-9]*$' "the region rule"
expect_line "$WORK/suggested.rules" '^  # [0-9]+ leads, close rate [0-9.]+% \(95% interval [0-9.]+% to [0-9.]+%\), lift [0-9.]+; validation AUC \+0\.[0-9]{4}$' "evidence"
grep -q refunds "$WORK/suggested.rules" && ! grep -q 'when refunds' "$WORK/suggested.rules" || fail "a rule uses the leaking field"
head -n "$(wc -l < "$WORK/thin.rules")" "$WORK/suggested.rules" | cmp -s - "$WORK/thin.rules" || fail "the original rules are not kept first"
run "$WORK/out" "$WORK/err" "$BIN" check "$WORK/suggested.rules"
expect_status 0 "$status" "check of the suggested rules"
if grep -q "warning" "$WORK/out" "$WORK/err"; then cat "$WORK/out" "$WORK/err"; fail "the suggested rules lint with warnings"; fi
run "$WORK/out" "$WORK/err" "$BIN" fmt --check "$WORK/suggested.rules"
expect_status 0 "$status" "fmt --check of the suggested rules"
run "$WORK/out" "$WORK/err" "$BIN" calibrate "$WORK/suggested.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --as-of 2027-01-01 --time-field signed --out "$WORK/w.yaml" --quiet
expect_status 0 "$status" "the suggested rules calibrate"

# 1a. --summary-out: the same suggestions as JSON, shown by `report --suggestions`.
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --as-of 2027-01-01 --time-field signed "${choose[@]}" --out "$WORK/suggested2.rules" --summary-out "$WORK/suggest.json"
expect_status 0 "$status" "suggest --summary-out"
cmp -s "$WORK/suggested.rules" "$WORK/suggested2.rules" || fail "--summary-out changed the suggested rules"
expect_line "$WORK/suggest.json" '"condition": "seats >= 100"' "the seats rule in the summary"
expect_line "$WORK/suggest.json" '"test": 400' "the test part in the summary"
run "$WORK/out" "$WORK/err" "$BIN" report "$WORK/w.yaml" --suggestions "$WORK/suggest.json" --out "$WORK/report.html"
expect_status 0 "$status" "report --suggestions"
expect_line "$WORK/report.html" '^<h2>Suggested rules</h2>$' "the report's section"
expect_line "$WORK/report.html" '<td class="l"><code>seats &gt;= 100</code></td><td>[1-9][0-9]*</td>' "the seats rule in the report"
expect_line "$WORK/report.html" 'Test AUC on the 400 newest leads, which had no say: <b>0\.[0-9]{4}</b> with the rules as they are, <b>0\.[0-9]{4}</b> with these added' "the test AUC in the report"
# --adopted: the thin rules' own weights beside those of the rules with the suggestions adopted.
run "$WORK/out" "$WORK/err" "$BIN" calibrate "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --as-of 2027-01-01 --time-field signed --out "$WORK/thin.yaml" --quiet
expect_status 0 "$status" "calibrate the thin rules"
run "$WORK/out" "$WORK/err" "$BIN" report "$WORK/thin.yaml" --suggestions "$WORK/suggest.json" --adopted "$WORK/w.yaml" \
  --out "$WORK/adopted.html"
expect_status 0 "$status" "report --adopted"
thin_auc=$(awk '/^backtest:/ { b = 1 } b && $1 == "calibrated:" { s = 1; next } s && $1 == "auc:" { printf "%.3f", $2; exit }' "$WORK/thin.yaml")
adopted_auc=$(awk '/^backtest:/ { b = 1 } b && $1 == "calibrated:" { s = 1; next } s && $1 == "auc:" { printf "%.3f", $2; exit }' "$WORK/w.yaml")
expect_line "$WORK/adopted.html" "^<tr><td class=\"l\">as they are, calibrated</td><td>1</td><td>$thin_auc</td>" "the thin rules' row"
expect_line "$WORK/adopted.html" "^<tr><td class=\"l\">with the suggestions, calibrated</td><td>[2-9]</td><td>$adopted_auc</td>" "the adopted rules' row"
awk -v a="$thin_auc" -v b="$adopted_auc" 'BEGIN { exit !(b > a + 0.05) }' || fail "adopting the suggestions did not raise the test AUC ($thin_auc to $adopted_auc)"
run "$WORK/out" "$WORK/err" "$BIN" report "$WORK/w.yaml" --suggestions "$WORK/w.yaml" --out "$WORK/report2.html"
expect_status 1 "$status" "report --suggestions of a file that is not a summary"
[[ ! -e $WORK/report2.html ]] || fail "a report was written from a bad summary"

# 1b. Outcomes from a CRM export with its own headers and delimiter (the options calibrate takes):
# the same suggestions as from the outcome column.
awk -F, 'NR == 1 { print "Lead ID;Stage"; next } { print $1 ";" ($6 == "won" ? "Closed Won" : "Closed Lost") }' \
  "$WORK/leads.csv" > "$WORK/crm.csv"
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcomes "$WORK/crm.csv" \
  --outcome-columns "lead_id=Lead ID,outcome=Stage" --outcomes-delimiter ';' --won "Closed Won" --lost "Closed Lost" \
  --as-of 2027-01-01 --time-field signed "${choose[@]}" --out "$WORK/suggested-crm.rules"
expect_status 0 "$status" "suggest from a CRM outcomes file"
cmp -s "$WORK/suggested.rules" "$WORK/suggested-crm.rules" || fail "outcomes file and outcome column suggest differently"

# 1c. Activities: demo requests in the 30 days before each lead's cutoff (signed + 30d) drive closes; a
# "contract" event two months after the signing of every won lead (after its cutoff) is never seen.
cat > "$WORK/acts.rules" <<'RULES'
ruleset "acts" version 1

schema lead {
  lead_id: id
  signed:  date
  region:  string
}

schema activity {
  lead_id:     id
  occurred_at: timestamp
  kind:        string
}

score fit {
  rule "EU"  when region == "EU"  points 5
}
RULES
awk 'BEGIN {
  print "lead_id,signed,region,outcome" > "'"$WORK/acts-leads.csv"'"
  print "lead_id,occurred_at,kind" > "'"$WORK/acts-events.csv"'"
  split("EU US", regions, " ")
  state = 7
  for (i = 0; i < 1000; i++) {
    state = (state * 16807) % 2147483647; demos = state % 4
    state = (state * 16807) % 2147483647; won = state % 20 < (demos >= 2 ? 9 : 1)
    month = int(i / 28) % 12 + 1; day = i % 28 + 1; year = 2020 + int(i / 336)
    printf "L%d,%d-%02d-%02d,%s,%s\n", i, year, month, day, regions[i % 2 + 1], won ? "won" : "lost" > "'"$WORK/acts-leads.csv"'"
    nm = (month + 1) % 12 + 1; ny = year + (month >= 11)
    for (j = 0; j < demos; j++)
      printf "L%d,%d-%02d-%02dT09:00:00Z,demo\n", i, year, month, (day + j * 3 - 1) % 28 + 1 > "'"$WORK/acts-events.csv"'"
    state = (state * 16807) % 2147483647
    for (j = 0; j < state % 3; j++)
      printf "L%d,%d-%02d-%02dT09:00:00Z,page_view\n", i, year, month, (day + j) % 28 + 1 > "'"$WORK/acts-events.csv"'"
    if (won) printf "L%d,%d-%02d-%02dT09:00:00Z,contract\n", i, ny, nm, day > "'"$WORK/acts-events.csv"'"
  }
}'
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/acts.rules" --leads "$WORK/acts-leads.csv" \
  --activities "$WORK/acts-events.csv" --activity-type-field kind --outcome-column outcome \
  --cutoff-field signed --cutoff-delay 30d --out "$WORK/acts-suggested.rules"
expect_status 0 "$status" "suggest with activities"
expect_line "$WORK/err" ' and 3 activity types' "the activity types"
expect_line "$WORK/acts-suggested.rules" '^  rule "count\(activity where kind == demo within (30|90)d\) >= 2" +when count\(activity where kind == "demo" within (30|90)d\) >= 2 +points [1-9][0-9]*$' "the demo count rule"
! grep -q 'contract' "$WORK/acts-suggested.rules" || fail "an event after the cutoff was used"
run "$WORK/out" "$WORK/err" "$BIN" check "$WORK/acts-suggested.rules"
expect_status 0 "$status" "check of the suggested activity rules"
if grep -q "warning" "$WORK/out" "$WORK/err"; then cat "$WORK/out" "$WORK/err"; fail "the suggested activity rules lint with warnings"; fi
run "$WORK/out" "$WORK/err" "$BIN" fmt --check "$WORK/acts-suggested.rules"
expect_status 0 "$status" "fmt --check of the suggested activity rules"
run "$WORK/out" "$WORK/err" "$BIN" calibrate "$WORK/acts-suggested.rules" --leads "$WORK/acts-leads.csv" \
  --activities "$WORK/acts-events.csv" --outcome-column outcome --cutoff-field signed --cutoff-delay 30d \
  --out "$WORK/acts.yaml" --quiet
expect_status 0 "$status" "the suggested activity rules calibrate"
run "$WORK/out" "$WORK/err" "$BIN" report "$WORK/thin.yaml" --adopted "$WORK/acts.yaml" --out "$WORK/x.html"
expect_status 1 "$status" "report --adopted of weights on other data"
expect_line "$WORK/err" "was not backtested like .*: the leads files differ" "the message"
[[ ! -e $WORK/x.html ]] || fail "a report was written from mismatched weights"
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/acts.rules" --leads "$WORK/acts-leads.csv" \
  --activities "$WORK/acts-events.csv" --activity-type-field type --outcome-column outcome \
  --cutoff-field signed --cutoff-delay 30d --out "$WORK/x.rules"
expect_status 1 "$status" "an activity type field the schema lacks"
expect_line "$WORK/err" '^leadscore suggest: --activity-type-field type: the activity schema has no string field of that name$' "the message"
[[ ! -e $WORK/x.rules ]] || fail "an output was written on failure"

# 2. Usage errors (2), input problems (1), and an output that is the rules file itself.
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --as-of 2027-01-01 --out "$WORK/x.rules"
expect_status 2 "$status" "no outcomes"
expect_line "$WORK/err" 'give either --outcomes FILE' "the usage message"
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --closed-at-zone UTC --as-of 2027-01-01 --out "$WORK/x.rules"
expect_status 2 "$status" "--closed-at-zone without an outcomes file"
expect_line "$WORK/err" '^leadscore suggest: --closed-at-zone goes with --outcomes FILE' "the usage message"
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --as-of 2027-01-01 --out "$WORK/thin.rules"
[[ $status != 0 ]] || fail "--out onto the rules file was accepted"
head -n "$(wc -l < "$WORK/thin.rules")" "$WORK/suggested.rules" | cmp -s - "$WORK/thin.rules" || fail "the rules file was changed"
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/thin.rules" --leads "$WORK/leads.csv" --outcome-column outcome \
  --won nobody --as-of 2027-01-01 --out "$WORK/x.rules"
expect_status 1 "$status" "no won leads"
expect_line "$WORK/err" '^leadscore suggest: cannot suggest: ' "the reason"
[[ ! -e $WORK/x.rules ]] || fail "an output was written on failure"
echo "suggest_command: ok"
