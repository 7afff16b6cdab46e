#!/usr/bin/env bash
# `leadscore diff` through the real binary: bash diff_command.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") REPO=$2 WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_status() { [[ $2 == "$1" ]] || fail "$3: exit status $2, expected $1"; }
expect_line() {
  grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }
}

# A temporary repository with two commits of a small ruleset and its list file.
REPO_T="$WORK/repo"
mkdir -p "$REPO_T/rules/lists"
cat > "$REPO_T/rules/lists/vip.txt" <<'TXT'
# vip companies
acme
TXT
cat > "$REPO_T/rules/x.rules" <<'RULES'
ruleset "demo" version 1
schema lead {
  id:      id
  company: string
  size:    int
}
list vip = file "lists/vip.txt"
score fit {
  rule "Big"  when size >= 100   points 30
  rule "VIP"  when company in vip points 20
}
mql when fit >= 30
classify tier {
  "a" when fit >= 40
  "b" when fit >= 20
  "c" otherwise
}
RULES
cat > "$WORK/leads.csv" <<'CSV'
id,company,size
1,acme,50
2,acme,150
3,other,150
4,other,60
5,other,10
6,acme,
CSV
git -C "$REPO_T" init -q
git -C "$REPO_T" add .
git -C "$REPO_T" -c user.name=t -c user.email=t@example.com commit -qm one
# Version 2: "Big" starts at 50 and is worth 25; "VIP" is removed; "Tiny" is added.
sed -i 's/version 1/version 2/; s/size >= 100   points 30/size >= 50    points 25/; /"VIP"/d' "$REPO_T/rules/x.rules"
sed -i 's/^score fit {$/score fit {\n  rule "Tiny" when size < 20 points -5/' "$REPO_T/rules/x.rules"
git -C "$REPO_T" -c user.name=t -c user.email=t@example.com commit -qam two
# Old scores: 1:20 2:50 3:30 4:0 5:0 6:20 -> mql 2,3 ; tiers b a b c c b
# New scores: 1:25 2:25 3:25 4:25 5:-5 6:0 -> mql none ; tiers b b b b c c

cd "$REPO_T"
set +e
"$BIN" diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 \
  > "$WORK/text.out" 2> "$WORK/text.err"
status=$?
set -e
expect_status 0 $status "git diff end to end"
expect_line "$WORK/text.out" 'OLD: git:HEAD~1:rules/x.rules "demo" version 1' "old ruleset"
expect_line "$WORK/text.out" 'NEW: git:HEAD:rules/x.rules "demo" version 2' "new ruleset"
expect_line "$WORK/text.out" '^  rules/x.rules:10: rule "Big" changed: when size >= 100 points 30 -> when size >= 50 points 25$' "changed rule"
expect_line "$WORK/text.out" '^  rules/x.rules:8: rule "VIP" removed: when company in vip points 20$' "removed rule, at its section (list file read from the commit)"
expect_line "$WORK/text.out" '^  rules/x.rules:9: rule "Tiny" added: when size < 20 points -5$' "added rule"
expect_line "$WORK/text.out" '^  2 -> 0 MQLs; 0 in \(0%\), 2 out \(33.33%\), 2 flips \(33.33%\) of 6 leads$' "MQL flips"
# Transition matrix of tier: OLD a -> NEW b: 1; b -> b: 2; b -> c: 1; c -> b: 1; c -> c: 1.
awk '/^Transitions of classify `tier`/{on=1; next} on && NF==0{exit} on{print}' "$WORK/text.out" > "$WORK/matrix.out"
cat > "$WORK/matrix.want" <<'TXT'
  OLD \ NEW                 a            b            c
  a                         0            1            0
  b                         0            2            1
  c                         0            1            1
TXT
diff -u "$WORK/matrix.want" <(head -4 "$WORK/matrix.out") || fail "transition matrix of tier"
expect_line "$WORK/text.out" '^  6 leads \(100%\) changed score; mean change -4.17$' "moved and mean change"
expect_line "$WORK/text.out" '^  OLD +0 +0 +5 +20 +27.5 +40 +50 +20$' "old distribution"

# Markdown and JSON.
"$BIN" diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 \
  --format markdown --top 2 > "$WORK/md.out"
expect_line "$WORK/md.out" '^\| rules/x.rules:10 \| rule \| Big \| changed \| when size >= 100 points 30 \| when size >= 50 points 25 \|$' "markdown change table"
expect_line "$WORK/md.out" '^\| a \| 0 \| 1 \| 0 \|$' "markdown transition row"
[[ $(grep -Ec '^\| [0-9] \| -?[0-9.]+ \| ' "$WORK/md.out") == 2 ]] || fail "--top 2 movers in markdown"
[[ $(grep -Ec '^\| [0-9] \| (in|out) \| ' "$WORK/md.out") == 2 ]] || fail "the 2 MQL flips listed in markdown"
"$BIN" diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 \
  --format json > "$WORK/json.out"
expect_line "$WORK/json.out" '"mql":\{"old":2,"new":0,"in":0,"out":2,"flips":2,"flips_percent":33.33,"leads":\[' "json mql"
expect_line "$WORK/json.out" '"a -> b":1' "json transitions"

# --fail-if: exit 3 with the violated threshold; a threshold not exceeded keeps exit 0.
set +e
"$BIN" diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 \
  --fail-if 'mql_in > 0' --fail-if 'mql_flips > 20%' --format github > "$WORK/fail.out" 2> "$WORK/fail.err"
status=$?
set -e
expect_status 3 $status "--fail-if exceeded"
expect_line "$WORK/fail.err" '^leadscore diff: threshold exceeded: mql_flips = 33.33% > 20%$' "violated threshold printed"
if grep -q 'mql_in' "$WORK/fail.err"; then fail "mql_in > 0 was not exceeded"; fi
expect_line "$WORK/fail.out" '^::error title=leadscore diff threshold::mql_flips = 33.33%25 > 20%25$' "github threshold annotation (% escaped as %25)"
expect_line "$WORK/fail.out" '^::notice file=rules/x.rules,line=[0-9]+,col=[0-9]+::rule "Big" changed' "github rule annotation"
"$BIN" diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 \
  --fail-if 'moved > 100%' --fail-if 'score_mean_change > 5' > /dev/null
set +e
"$BIN" diff git:HEAD~1:rules/x.rules git:HEAD:rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 \
  --fail-if 'score_mean_change > 3' > /dev/null 2> "$WORK/mean.err"
status=$?
set -e
expect_status 3 $status "score_mean_change exceeded"
expect_line "$WORK/mean.err" 'threshold exceeded: score_mean_change = 4.17 > 3$' "mean change threshold"

# A git reference that does not exist: one line, exit 1.
set +e
"$BIN" diff git:no-such-ref:rules/x.rules git:HEAD:rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 \
  > "$WORK/ref.out" 2> "$WORK/ref.err"
status=$?
set -e
expect_status 1 $status "missing git ref"
[[ $(wc -l < "$WORK/ref.err") == 1 ]] || fail "missing git ref: expected one line on stderr, got: $(cat "$WORK/ref.err")"
expect_line "$WORK/ref.err" '^leadscore diff: git:no-such-ref:rules/x.rules: git reference "no-such-ref" does not exist' "missing ref message"
[[ ! -s "$WORK/ref.out" ]] || fail "missing git ref: nothing on stdout"

# Different schemas: a classify only in NEW shows its distribution; a field missing from the data is reported.
cd "$WORK"
git -C "$REPO_T" show HEAD:rules/x.rules | sed 's/classify tier {/classify band {/' > "$WORK/band.rules"
mkdir -p "$WORK/lists" && cp "$REPO_T/rules/lists/vip.txt" "$WORK/lists/"
git -C "$REPO_T" show HEAD~1:rules/x.rules > "$WORK/old.rules"
"$BIN" diff old.rules band.rules --leads leads.csv --as-of 2026-11-01 > "$WORK/schema.out"
expect_line "$WORK/schema.out" 'classify `band` is only in NEW: its distribution is shown' "one-sided classify"
expect_line "$WORK/schema.out" '^Distribution of classify `band \(NEW\)`$' "one-sided distribution"
sed 's/  size:    int/  size:    int\n  region:  string/; s/rule "Big"  when size >= 100/rule "Big"  when size >= 100 and region is present/' old.rules > region.rules
set +e
"$BIN" diff old.rules region.rules --leads leads.csv --as-of 2026-11-01 > "$WORK/field.out" 2>&1
status=$?
set -e
expect_status 1 $status "a side that cannot score the data"
expect_line "$WORK/field.out" 'NEW \(region.rules\) could not score the data: .*"region".* missing from the header' "missing field reported"
expect_line "$WORK/field.out" 'region.rules:10: rule "Big" changed: when size >= 100 points 30 -> when size >= 100 and region is present points 30$' "rule changes still reported"
expect_line "$WORK/field.out" 'region.rules:6: field "lead.region" added: string$' "field changes reported"

# A plain path to a file of the work tree is annotated from the repository's top folder, however it
# was written (from a sub-folder, with ./ and ..), as GitHub needs to place the annotation.
mkdir -p "$REPO_T/rules/sub"
(cd "$REPO_T/rules/sub" &&
  "$BIN" diff git:HEAD~1:rules/x.rules ./../../rules/../rules/x.rules --leads "$WORK/leads.csv" --as-of 2026-11-01 \
    --format github > "$WORK/plain.out" 2> /dev/null) || true
expect_line "$WORK/plain.out" '^::notice file=rules/x.rules,line=10,col=' "plain path annotated from the top folder"

# Rules that read events, compared without --activities: said in the report and on stderr.
cd "$WORK"
cat > act.rules <<'R'
ruleset "act" version 1
schema lead { id: id  size: int }
schema activity { lead: id  at: timestamp  type: string }
score fit { rule "Big" when size >= 100 points 30 }
score interest { rule "Demo" when count(activity where type == "demo") >= 1 points 40 }
R
sed 's/points 30/points 35/; s/version 1/version 2/' act.rules > act2.rules
printf 'id,size\nL1,500\n' > act.csv
printf 'lead,at,type\nL1,2026-10-01,demo\n' > act.events.csv
"$BIN" diff act.rules act2.rules --leads act.csv --as-of 2026-11-01 > act.out 2> act.err
expect_line act.out 'no --activities file was given: activity rules are compared as if no lead had any event' "no-activities note"
expect_line act.err '^leadscore diff: warning: the rules read activity events but no --activities' "no-activities warning"
"$BIN" diff act.rules act2.rules --leads act.csv --activities act.events.csv --as-of 2026-11-01 > act2.out 2> act2.err
! grep -q 'activities' act2.out act2.err || fail "a note although --activities was given"
expect_line act2.out 'L1 +70 -> 75' "events compared"

# A score beyond the range of numbers (35 factors of 1B) is missing, not 0: a mover, outside the
# distribution, and said in the notes.
{ printf 'ruleset "o" version 1\nschema lead { id: id  n: number }\nscore fit {\n  rule "A" when n >= 1 points 10\n'
  for i in $(seq 1 35); do printf '  multiply "m%d" when n >= 2 by 1B\n' "$i"; done; printf '}\n'; } > huge.rules
sed 's/n >= 2 by/n >= 3 by/; s/version 1/version 2/' huge.rules > huge2.rules
printf 'id,n\nL1,2\nL2,1\nL3,5\n' > huge.csv
"$BIN" diff huge.rules huge2.rules --leads huge.csv --as-of 2026-11-01 > huge.out 2> /dev/null
expect_line huge.out '^  L1 +\(missing\) -> 10 +\(missing\)$' "a missing score is a mover"
expect_line huge.out '^  OLD +10 +10 +10 +10 +10 +10 +10 +10$' "the distribution leaves missing scores out"
expect_line huge.out '^  2 leads have no score in OLD \(a section beyond the range of numbers\)' "missing scores in the notes"
"$BIN" diff huge.rules huge2.rules --leads huge.csv --as-of 2026-11-01 --format json 2> /dev/null | grep -q '"id":"L1","old":null,"new":10' ||
  fail "JSON: a missing score is null"

# Usage errors.
set +e
"$BIN" diff old.rules --leads leads.csv --as-of 2026-11-01 > /dev/null 2>&1; s1=$?
"$BIN" diff old.rules old.rules --leads leads.csv --as-of 2026-11-01 --fail-if 'flips > 3' > /dev/null 2>&1; s2=$?
set -e
expect_status 2 $s1 "one rules file"
expect_status 2 $s2 "unknown --fail-if metric"
echo "diff_command: all checks passed"
