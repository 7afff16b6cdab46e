#!/usr/bin/env bash
# Issue 14's `calibration` repro: adding `calibration "..."` to a ruleset (weights from a real
# `leadscore calibrate` run on the bank example) is a change at its line, annotated for GitHub, with
# the MQL flips that two `score` runs of the same rules say; new weights in the same file are a change too.
#   bash diff_calibration.sh LEADSCORE_BIN REPO_DIR WORK_DIR   (skips without the bank data)
set -euo pipefail
BIN=$(realpath "$1") REPO=$2 WORK=$(realpath -m "$3")
DATA=$(realpath -m "$REPO/../shared/data/bank-marketing/bank-additional-full.csv")
[[ -f "$DATA" ]] || { echo "skipped: $DATA not present"; exit 0; }
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() {
  grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }
}
commit() { git -C "$R" -c user.name=t -c user.email=t@example.com commit -qam "$1"; }
calibrate() {
  "$BIN" calibrate "$R/rules/bank.rules" --leads "$DATA" --delimiter ';' --outcome-column y --won yes --lost no \
    --as-of 2010-12-01 --quiet "$@" --out "$R/rules/weights/bank.yaml" 2> /dev/null
}
score() { "$BIN" score "$1" --leads "$DATA" --delimiter ';' --as-of 2026-11-01 --quiet --out "$2" 2> /dev/null; }

R="$WORK/repo"
mkdir -p "$R/rules/weights"
cp "$REPO/rules/examples/bank-telemarketing.rules" "$R/rules/bank.rules"
calibrate
git -C "$R" init -q && git -C "$R" add . && commit "written points"
awk '{ print } /^ruleset /{ print "calibration \"weights/bank.yaml\"" }' "$R/rules/bank.rules" > "$WORK/with.rules"
cp "$WORK/with.rules" "$R/rules/bank.rules"
commit "calibrated points"
LINE=$(grep -n '^calibration ' "$R/rules/bank.rules" | cut -d: -f1)

# What the diff must report, from two score runs: leads whose `mql` column differs.
git -C "$R" show HEAD~1:rules/bank.rules > "$R/rules/old.rules"
score "$R/rules/old.rules" "$WORK/old.csv"
score "$R/rules/bank.rules" "$WORK/new.csv"
read -r N OLD NEW IN OUT < <(awk -F, 'NR == FNR { if (FNR == 1) { for (c = 1; c <= NF; ++c) if ($c == "mql") m = c; next }
                                                 was[$1] = $m; next }
                                      FNR == 1 { for (c = 1; c <= NF; ++c) if ($c == "mql") m = c; next }
                                      { n++; o += was[$1] == "true"; w += $m == "true"
                                        if ($m == "true" && was[$1] != "true") i++; if ($m != "true" && was[$1] == "true") u++ }
                                      END { print n, o, w, i + 0, u + 0 }' "$WORK/old.csv" "$WORK/new.csv")
rm "$R/rules/old.rules"
FLIPS=$((IN + OUT))
(( FLIPS > 0 )) || fail "the calibrated weights flip no MQL decision: the repro shows nothing"

cd "$R"
"$BIN" diff git:HEAD~1:rules/bank.rules git:HEAD:rules/bank.rules --leads "$DATA" --delimiter ';' --as-of 2026-11-01 \
  --format github > "$WORK/add.out" 2> "$WORK/add.err"
# The calibration line, and every declaration whose thresholds or limits the calibrated points
# re-express (issue 12: diff shows the adopted thresholds beside the written ones).
CHANGES=$(sed -n 's/^Ruleset changes (\([0-9]*\))$/\1/p' "$WORK/add.out")
[[ -n $CHANGES ]] && (( CHANGES > 1 )) || fail "calibration and adopted thresholds: $(cat "$WORK/add.out")"
NUM='-?[0-9]+(\.[0-9]+)?'
expect_line "$WORK/add.out" "^  rules/bank.rules:[0-9]+: mql \"mql\" changed: when interest >= 40 or \(fit >= 35 and interest >= 5\) -> when interest >= 40 or \(fit >= 35 and interest >= 5\) \(calibrated: interest >= $NUM for 40, fit >= $NUM for 35, interest >= $NUM for 5\)$" \
  "mql with its adopted thresholds"
expect_line "$WORK/add.out" "^  rules/bank.rules:[0-9]+: branch \"quadrant: hot\" changed: .* \(calibrated: fit >= $NUM for 30, interest >= $NUM for 10\)$" \
  "classify branch with its adopted thresholds"
expect_line "$WORK/add.out" "^  rules/bank.rules:[0-9]+: section \"fit\" changed: max 60 min -20 -> max 60 min -20 \(calibrated: max $NUM for 60" \
  "section with its adopted limits"
expect_line "$WORK/add.out" "^  rules/bank.rules:$LINE: calibration \"calibration\" added: \"weights/bank.yaml\" \\(weights hash [0-9a-f]{16}\\)$" \
  "calibration added at its line"
expect_line "$WORK/add.out" "^::notice file=rules/bank.rules,line=$LINE,col=[0-9]+::calibration \"calibration\" added: \"weights/bank.yaml\"" \
  "annotation at the calibration line"
expect_line "$WORK/add.out" "^  $OLD -> $NEW MQLs; $IN in \\([0-9.]+%\\), $OUT out \\([0-9.]+%\\), $FLIPS flips \\([0-9.]+%\\) of $N leads$" \
  "MQL flips as the two score runs say ($OLD -> $NEW, $IN in, $OUT out)"
expect_line "$WORK/add.out" "^MQL flips \\(first 10 of $FLIPS\\)$" "flips listed"
expect_line "$WORK/add.out" "^::notice title=leadscore diff::$FLIPS MQL flips \\($IN in, $OUT out\\) of $N leads" "summary annotation"
expect_line "$WORK/add.err" "warning: the rules changed \\($CHANGES changes\\) but \`version\` is still 1" "version warning"

# Re-calibrated weights in the same file: the rules text is the same, the weights' content is not.
calibrate --method loglift
commit "weights refitted"
"$BIN" diff git:HEAD~1:rules/bank.rules git:HEAD:rules/bank.rules --leads "$DATA" --delimiter ';' --as-of 2026-11-01 \
  --format github > "$WORK/refit.out" 2> /dev/null
expect_line "$WORK/refit.out" "^::notice file=rules/bank.rules,line=$LINE,col=[0-9]+::calibration \"calibration\" changed: .*weights hash ([0-9a-f]{16}).* -> .*weights hash [0-9a-f]{16}" \
  "refitted weights reported at the calibration line"
# The refit moves the adopted thresholds: the mql line says from what to what.
expect_line "$WORK/refit.out" '^::notice file=rules/bank.rules,line=[0-9]+,col=[0-9]+::mql "mql" changed: .*\(calibrated: .* -> .*\(calibrated: ' \
  "refitted weights move the mql thresholds"
echo "diff_calibration: calibration added ($OLD -> $NEW MQLs, $IN in, $OUT out) and refitted weights reported at line $LINE"
