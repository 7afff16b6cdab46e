#!/usr/bin/env bash
# `leadscore diff` on a hand-made ruleset and six leads: reordered classify branches are a change
# (the first match wins) while reordered rules, gate criteria and fields are not; and the classify
# transition matrix and the score distribution shift, with values worked out by hand, in the text,
# markdown, JSON and GitHub outputs.   bash diff_order_and_shift.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
# The work folder may sit inside a git checkout (the build tree): annotations would name files from its
# top folder. These files are outside any repository, as in a plain folder.
export GIT_CEILING_DIRECTORIES=$(dirname "$WORK")
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() {
  grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }
}
section() { awk -v h="$2" '$0 == h { on = 1; next } on && (NF == 0 || /^[A-Z]/) { exit } on { print }' "$1"; }
same() { diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$1") || fail "$3"; }

cat > old.rules <<'RULES'
ruleset "order" version 1
schema lead {
  id:      id
  company: string
  size:    int
}
score fit {
  rule "Big"  when size >= 100       points 30
  rule "Acme" when company == "acme" points 20
}
gate known {
  "Has size":    size is present
  "Has company": company is present
}
mql when known and fit >= 30
classify tier {
  "top"  when fit >= 50
  "acme" when company == "acme"
  "rest" otherwise
}
RULES
cat > leads.csv <<'CSV'
id,company,size
1,acme,50
2,acme,150
3,other,150
4,other,60
5,beta,10
6,acme,
CSV
# Scores: 1:20 2:50 3:30 4:0 5:0 6:20. Tiers: 1 acme, 2 top, 3 rest, 4 rest, 5 rest, 6 acme.
run() { "$BIN" diff "$@" --leads leads.csv --as-of 2026-11-01; }

# Rules, gate criteria and fields in another order (version unchanged): no change, no warning.
awk '/rule "Big"/ { big = $0; next } /rule "Acme"/ { print; print big; next }
     /"Has size":/ { size = $0; next } /"Has company":/ { print; print size; next }
     /^  company: string$/ { company = $0; next } /^  size:    int$/ { print; print company; next } { print }' \
  old.rules > shuffled.rules
grep -q '^  rule "Acme".*$' shuffled.rules && [[ $(grep -n 'rule "Acme"' shuffled.rules | cut -d: -f1) == 8 ]] ||
  fail "shuffled.rules: the rules were not swapped"
run old.rules shuffled.rules --format github > shuffled.out 2> shuffled.err
expect_line shuffled.out '^Ruleset changes \(0\)$' "reordered rules, criteria and fields: no change"
if grep -q '^::notice file=' shuffled.out; then fail "reordered rules, criteria and fields: annotated: $(grep '^::notice file=' shuffled.out)"; fi
[[ ! -s shuffled.err ]] || fail "reordered rules, criteria and fields: stderr: $(cat shuffled.err)"

# The "acme" branch before "top": lead 2 (acme, fit 50) now stops at "acme".
awk '/"top"  when/ { top = $0; next } /"acme" when/ { print; print top; next } { print }' old.rules |
  sed 's/version 1/version 2/' > reordered.rules
run old.rules reordered.rules --format github > reordered.out 2> reordered.err
expect_line reordered.out '^Ruleset changes \(1\)$' "reordered branches: one change"
expect_line reordered.out '^  reordered.rules:16: classify "tier" changed: branches in order: "top", "acme", "rest" -> branches in order: "acme", "top", "rest"$' \
  "reordered branches reported at the classify"
expect_line reordered.out '^::notice file=reordered.rules,line=16,col=10::classify "tier" changed: branches in order' "reordered branches annotated"
same "$(section reordered.out 'Transitions of classify `tier` (rows OLD, columns NEW)')" \
'  OLD \ NEW              acme          top         rest
  top                       1            0            0
  acme                      2            0            0
  rest                      0            0            3
  1 leads (16.67%) changed classify value' "transitions after reordering branches"
expect_line reordered.out '^::notice title=leadscore diff::0 MQL flips \(0 in, 0 out\) of 6 leads; 1 leads changed classify value; score p10 0 -> 0, median 20 -> 20, p90 40 -> 40, mean 20 -> 20 \(0\)$' \
  "summary annotation: classify moves, no score shift"

# "Big" worth 40 and "top" from 40: scores 1:20 2:60 3:40 4:0 5:0 6:20; lead 3 moves rest -> top.
# Sorted OLD 0 0 20 20 30 50, NEW 0 0 20 20 40 60 (quantiles interpolate between ranks, h = 5p):
# p10 0 -> 0, p25 5 -> 5, median 20 -> 20, p75 27.5 -> 35, p90 40 -> 50, max 50 -> 60, mean 20 -> 23.33.
sed 's/version 1/version 2/; s/points 30$/points 40/; s/"top"  when fit >= 50/"top"  when fit >= 40/' old.rules > shift.rules
run old.rules shift.rules > shift.txt
same "$(section shift.txt 'Transitions of classify `tier` (rows OLD, columns NEW)')" \
'  OLD \ NEW               top         acme         rest
  top                       1            0            0
  acme                      0            2            0
  rest                      1            0            2
  1 leads (16.67%) changed classify value' "text transitions"
same "$(section shift.txt 'Score distribution')" \
'             min       p10       p25    median       p75       p90       max      mean
  OLD          0         0         5        20      27.5        40        50        20
  NEW          0         0         5        20        35        50        60     23.33
  2 leads (33.33%) changed score; mean change 3.33' "text score distribution"

run old.rules shift.rules --format markdown > shift.md
for want in '| OLD \ NEW | top | acme | rest |' '| top | 1 | 0 | 0 |' '| acme | 0 | 2 | 0 |' '| rest | 1 | 0 | 2 |' \
            '| OLD | 0 | 0 | 5 | 20 | 27.5 | 40 | 50 | 20 |' '| NEW | 0 | 0 | 5 | 20 | 35 | 50 | 60 | 23.33 |'; do
  grep -qxF -- "$want" shift.md || { cat shift.md >&2; fail "markdown: no line $want"; }
done
grep -qxF '1 leads (16.67%) changed classify value' shift.md || fail "markdown: classify moves"

run old.rules shift.rules --format json > shift.json
python3 - shift.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
t = j["transitions"]
assert t == [{"classify": "tier", "counts": {"top -> top": 1, "acme -> acme": 2, "rest -> top": 1, "rest -> rest": 2}}], t
assert j["quadrant_moves"] == 1, j["quadrant_moves"]
want = {"min": (0, 0), "p10": (0, 0), "p25": (5, 5), "median": (20, 20), "p75": (27.5, 35), "p90": (40, 50),
        "max": (50, 60), "mean": (20, 23.33)}
got = {k: (v["old"], v["new"]) for k, v in j["score"].items()}
assert got == want, got
assert (j["moved"], j["score_mean_change"]) == (2, 3.33), (j["moved"], j["score_mean_change"])
PY

run old.rules shift.rules --format github > shift.gh
expect_line shift.gh '^::notice title=leadscore diff::0 MQL flips \(0 in, 0 out\) of 6 leads; 1 leads changed classify value; score p10 0 -> 0, median 20 -> 20, p90 40 -> 50, mean 20 -> 23.33 \(\+3.33\)$' \
  "github summary: classify moves and score shift"
expect_line shift.gh '^  rest +1 +0 +2$' "github output carries the transition matrix"
# Movers with equal changes as shown are listed in lead id order: 133.51 - 123.51 is
# 9.999999999999986 in floating point, which sorted lead 1 after lead 2's exact +10.
mkdir -p tie && cd tie
cat > old.rules <<'RULES'
ruleset "tie" version 1
schema lead {
  id:   id
  kind: string
}
score fit {
  rule "A" when kind == "a" points 123.51
}
RULES
sed 's/version 1/version 2/; s/points 123.51/points 133.51\n  rule "B" when kind == "b" points 10/' old.rules > new.rules
printf 'id,kind\n1,a\n2,b\n' > leads.csv
"$BIN" diff old.rules new.rules --leads leads.csv --as-of 2026-11-01 > tie.out
same "$(grep -E '^  [0-9] +[0-9.]+ -> ' tie.out)" "  1               123.51 -> 133.51    (+10)
  2                    0 -> 10        (+10)" "equal changes as shown: movers in lead id order"
"$BIN" diff old.rules new.rules --leads leads.csv --as-of 2026-11-01 --format json > tie.json
python3 -c 'import json, sys; ids = [m["id"] for m in json.load(open("tie.json"))["top_movers"]]; assert ids == ["1", "2"], ids' ||
  fail "equal changes: JSON top_movers not in lead id order"
cd ..

echo "diff_order_and_shift: all checks passed"
