#!/usr/bin/env bash
# `leadscore suggest` on text values with quotes, backslashes, unicode, line breaks, tabs and control
# characters: bash suggest_odd_values.sh LEADSCORE_BIN REPO_DIR WORK_DIR. The written file passes
# `check` (no warnings) and `fmt --check`; values no list entry or label may hold are not suggested.
set -euo pipefail
BIN=$1 REPO=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {  # run OUT ERR CMD...: sets $status, never exits
  local out=$1 err=$2; shift 2
  set +e; "$@" > "$out" 2> "$err"; status=$?; set -e
}
expect_status() { [[ $2 == "$1" ]] || { cat "$WORK/err" >&2; fail "$3: exit status $2, expected $1"; }; }
expect_fixed() {  # expect_fixed FILE TEXT WHAT
  grep -Fq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line holding $2"; }
}

cat > "$WORK/odd.rules" <<'RULES'
ruleset "odd" version 1

schema lead {
  lead_id: id
  nl:      string
  tab:     string
  ctl:     string
  q:       string
  bs:      string
  uni:     string
}

score fit {
  rule "Any" when q is present points 0
}
RULES
# Each field holds an odd value on half of the leads, and that value raises the close rate.
python3 - "$WORK/leads.csv" <<'PY'
import csv, math, random, sys
random.seed(3)
odd = {"nl": "web\nform", "tab": "t\tb", "ctl": "nel\u0085x", "q": 'a"q', "bs": "b\\s", "uni": "Zürich ✓"}
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["lead_id", *odd, "y"])
    for i in range(2000):
        row, logit = [], -2.5
        for field, value in odd.items():
            hit = random.random() < 0.5
            row.append(value if hit else "other")
            logit += 1.2 if hit else 0
        w.writerow([f"L{i}", *row, "won" if random.random() < 1 / (1 + math.exp(-logit)) else "lost"])
PY
run "$WORK/out" "$WORK/err" "$BIN" suggest "$WORK/odd.rules" --leads "$WORK/leads.csv" --outcome-column y \
  --as-of 2026-11-01 --out "$WORK/suggested.rules"
expect_status 0 "$status" "suggest"
# A quote and a backslash: escaped in the list entry, readable in the label.
expect_fixed "$WORK/suggested.rules" 'rule "q in [a\"q]"' "the label of a value with a quote"
expect_fixed "$WORK/suggested.rules" 'when q in ["a\"q"]' "the list entry of a value with a quote"
expect_fixed "$WORK/suggested.rules" 'rule "bs in [b\\s]"' "the label of a value with a backslash"
expect_fixed "$WORK/suggested.rules" 'when bs in ["b\\s"]' "the list entry of a value with a backslash"
expect_fixed "$WORK/suggested.rules" 'rule "uni in [Zürich ✓]"' "the label of a unicode value"
expect_fixed "$WORK/suggested.rules" 'when uni in ["Zürich ✓"]' "the list entry of a unicode value"
# A line break, a tab, a C1 control: never suggested, and the summary says so.
if grep -Eq 'when .*(nl|tab|ctl) in' "$WORK/suggested.rules"; then cat "$WORK/suggested.rules" >&2; fail "a value no list entry may hold was suggested"; fi
expect_fixed "$WORK/err" "not suggested: 3 values holding a line break, tab or control character (nl, tab, ctl)" "the summary"
run "$WORK/out" "$WORK/err" "$BIN" check "$WORK/suggested.rules"
expect_status 0 "$status" "check of the suggested rules"
if grep -q "warning" "$WORK/out" "$WORK/err"; then cat "$WORK/out" "$WORK/err"; fail "the suggested rules lint with warnings"; fi
run "$WORK/out" "$WORK/err" "$BIN" fmt --check "$WORK/suggested.rules"
expect_status 0 "$status" "fmt --check of the suggested rules"
echo "suggest_odd_values: ok"
