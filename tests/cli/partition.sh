#!/usr/bin/env bash
# `leadscore partition`: parts by the documented hash (the docs' Python snippet agrees with the
# binary), rows copied byte for byte, counts that reconcile, parts that score like one run, and a
# directory published whole or not at all.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
ex=$repo/rules/examples
d=$ex/data/b2b-saas
py=/usr/bin/python3
[ -x $py ] || py=python3

# The example in 4 parts, with a previous output.
"$bin" score $ex/b2b-saas.rules --leads $d/leads.csv --activities $d/activities.csv --as-of 2026-10-01 \
  --out previous.csv --quiet
"$bin" partition $ex/b2b-saas.rules --leads $d/leads.csv --activities $d/activities.csv --previous previous.csv \
  --parts 4 --out parts 2> summary.txt || fail "partition: $(cat summary.txt)"
grep -q '^leads: 3000 rows read = 3000 written + 0 rejected; .* rows per part (by column "lead_id")$' summary.txt ||
  fail "leads summary: $(cat summary.txt)"
grep -q '^activities: 22252 rows read = 22252 written + 0 rejected' summary.txt || fail "activities summary"
grep -q '^previous: 3000 rows read = 3000 written + 0 rejected' summary.txt || fail "previous summary"
[ "$(ls parts)" = "$(printf '_manifest.json\n_rejects.csv\npart-00000\npart-00001\npart-00002\npart-00003')" ] ||
  fail "layout: $(ls parts)"
! ls -a . | grep -q staging || fail "staging directory left behind"
for f in leads activities previous; do
  src=$d/$f.csv; [ $f = previous ] && src=previous.csv
  for p in parts/part-*; do
    [ "$(head -1 $p/$f.csv)" = "$(head -1 $src)" ] || fail "$p/$f.csv header"
  done
  # Every input row is in exactly one part, unchanged.
  cmp -s <(tail -n +2 $src | sort) <(for p in parts/part-*; do tail -n +2 $p/$f.csv; done | sort) ||
    fail "$f rows differ from the input's"
done

# Each row is in the part the documented Python snippet (docs/scale-out.md, run as written) gives.
$py - "$repo/docs/scale-out.md" parts <<'PY' || fail "the docs' hash snippet disagrees with the binary"
import csv, glob, json, os, re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
snippet = re.search(r"<!-- part-hash-snippet -->\n```python\n(.*?)```", doc, re.S).group(1)
scope = {}
exec(snippet, scope)
part_of = scope["part_of"]
manifest = json.load(open(os.path.join(sys.argv[2], "_manifest.json")))
assert manifest["parts"] == 4 and manifest["hash"]["function"] == "fnv1a-64", manifest
checked = 0
for k, name in enumerate(manifest["part_names"]):
    for f, column in (("leads", "lead_id"), ("activities", "lead_id"), ("previous", "lead_id")):
        with open(os.path.join(sys.argv[2], name, f + ".csv"), newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                assert part_of(row[column], 4) == k, (name, f, row[column])
                checked += 1
    assert manifest["files"]["leads"]["rows_per_part"][k] > 0
assert sum(manifest["files"]["leads"]["rows_per_part"]) == 3000
assert part_of("foobar", 1 << 62) == 0x85944171F73967E8 % (1 << 62)
assert checked == 3000 + 22252 + 3000, checked
PY

# Scoring each part gives the single run's rows.
"$bin" score $ex/b2b-saas.rules --leads $d/leads.csv --activities $d/activities.csv --as-of 2026-11-01 \
  --out single.csv --quiet
for p in parts/part-*; do
  "$bin" score $ex/b2b-saas.rules --leads $p/leads.csv --activities $p/activities.csv --as-of 2026-11-01 \
    --out scores-$(basename $p).csv --quiet
done
cmp -s <(tail -n +2 single.csv | sort) <(for p in scores-part-*.csv; do tail -n +2 $p; done | sort) ||
  fail "the parts' scores differ from a single run"

# Bad rows: rejected with line and reason, and the counts reconcile; raw text (quotes, CRLF, a line
# break inside quotes, spaces around the id) is copied unchanged. A lead row with the wrong number of
# fields goes to its id's part, whose `score` rejects it (and, with --previous, keeps its last row).
cat > x.rules <<'R'
ruleset "x" version 1
schema lead { lead_id: id  note: string }
schema activity { lead: id  at: timestamp }
score s { rule "n" when count(activity) >= 1 points 1 }
R
printf 'lead_id,note\r\nA,"one, two"\r\n  B ,"multi\nline"\r\n,empty id\r\nC,too,many\r\n"D,broken\n' > leads.csv
printf 'at,lead\n2026-01-01,A\n2026-01-02,\n2026-01-03, B\n' > events.csv
"$bin" partition x.rules --leads leads.csv --activities events.csv --parts 3 --out xparts 2> summary.txt ||
  fail "partition with bad rows: $(cat summary.txt)"
grep -q '^leads: 5 rows read = 3 written + 2 rejected' summary.txt || fail "bad rows summary: $(cat summary.txt)"
grep -q '^activities: 3 rows read = 2 written + 1 rejected.*(by column "lead")' summary.txt || fail "events summary"
grep -q 'rejected rows in xparts/_rejects.csv' summary.txt || fail "rejects pointer"
$py - xparts <<'PY' || fail "rejects file"
import csv, json, os, sys
rows = list(csv.DictReader(open(os.path.join(sys.argv[1], "_rejects.csv"), newline="")))
got = [(r["line"], r["reason"], r["file"]) for r in rows]
want = [("5", "empty lead id", "leads"),
        ("7", "malformed record: unterminated quoted field", "leads"),
        ("3", "empty lead id", "activities")]
assert got == want, got
m = json.load(open(os.path.join(sys.argv[1], "_manifest.json")))
for f in m["files"].values():
    assert f["rows_read"] == f["written"] + f["rejected"], f
    assert sum(f["rows_per_part"]) == f["written"], f
PY
all_parts() { for p in xparts/part-*; do tail -n +2 $p/$1; done; }
printf 'A,"one, two"\n  B ,"multi\nline"\nC,too,many\n' > expected.txt
cmp -s <(all_parts leads.csv | sort) <(sort expected.txt) || fail "raw rows not copied unchanged: $(all_parts leads.csv)"
[ "$(all_parts activities.csv | sort)" = "$(printf '2026-01-01,A\n2026-01-03, B')" ] || fail "event rows"
$py -c '
import sys; exec(open(sys.argv[1]).read().split("```python\n")[1].split("```")[0])
print(part_of("  B ", 3), part_of("B", 3))' "$repo/docs/scale-out.md" > b_part.txt
b=$(cut -d" " -f1 b_part.txt)
grep -q '^  B ' xparts/part-0000$b/leads.csv && grep -q ', B$' xparts/part-0000$b/activities.csv ||
  fail "lead B and its event (id with spaces) not in part $b"

# Refusals: nothing written, nothing changed, no staging directory left.
refused() {
  local rc=$1 part=$2; shift 2
  set +e
  "$bin" partition "$@" > out.txt 2> err.txt
  local got=$?
  set -e
  [ $got -eq "$rc" ] || fail "expected exit $rc, got $got for: $* ($(cat err.txt))"
  grep -qF -- "$part" err.txt || fail "message for: $* lacks \"$part\": $(cat err.txt)"
  ! ls -a . xparts | grep -q staging || fail "staging directory left behind by: $*"
}
cp -r xparts xparts.before
refused 1 "--leads xparts/part-00000/leads.csv is inside --out xparts" \
  x.rules --leads xparts/part-00000/leads.csv --parts 2 --out xparts
refused 1 'required column "lead_id" is missing' x.rules --leads events.csv --parts 2 --out xparts
refused 1 "the file is empty" x.rules --leads /dev/null --parts 2 --out xparts
diff -r xparts xparts.before > /dev/null || fail "a failed run changed the earlier partition"
refused 2 "--parts takes a whole number from 1 to 512" x.rules --leads leads.csv --parts 0 --out new
refused 2 "--parts" x.rules --leads leads.csv --out new
mkdir -p busy && echo keep > busy/mine.txt
refused 1 "--out busy is a directory that holds other files" x.rules --leads leads.csv --parts 2 --out busy
[ "$(cat busy/mine.txt)" = keep ] || fail "busy/mine.txt changed"
printf 'ruleset "r" version 1\nschema lead { n: id from row  x: int }\nscore s { rule "a" when x > 1 points 1 }\n' > row.rules
refused 1 "the lead id is the row number" row.rules --leads leads.csv --parts 2 --out new
printf 'ruleset "y" version 1\nschema lead { lead_id: id  note: string }\nscore s { rule "a" when note == "x" points 1 }\n' > y.rules
refused 1 "declares no \`schema activity\`" y.rules --leads leads.csv --activities events.csv --parts 2 --out new
[ ! -e new ] || fail "a refused run created new/"

# An earlier partition is replaced whole; an empty --previous is a first run.
: > empty.csv
"$bin" partition x.rules --leads leads.csv --previous empty.csv --parts 2 --out xparts --quiet || fail "replace"
[ "$(ls xparts)" = "$(printf '_manifest.json\n_rejects.csv\npart-00000\npart-00001')" ] || fail "replaced layout"
[ ! -s xparts/part-00000/previous.csv ] && [ -e xparts/part-00001/previous.csv ] || fail "empty previous"

# A spreadsheet-safe id in the previous output ('=A1) goes where the lead =A1 goes.
printf 'lead_id,note\n=A1,x\n' > f.csv
printf "lead_id,score\n'=A1,3\n" > fprev.csv
"$bin" partition x.rules --leads f.csv --previous fprev.csv --parts 7 --out fparts --quiet
for p in fparts/part-*; do
  [ "$(wc -l < $p/leads.csv)" = "$(wc -l < $p/previous.csv)" ] || fail "'=A1 and =A1 in different parts"
done
# Inputs separated by ';' (--delimiter ';'), with a previous output, which score always writes with
# commas: every lead's previous row follows it into its part.
tr , ';' < $d/leads.csv > semi-leads.csv
tr , ';' < $d/activities.csv > semi-activities.csv
"$bin" partition $ex/b2b-saas.rules --leads semi-leads.csv --activities semi-activities.csv --delimiter ';' \
  --previous previous.csv --parts 3 --out semi-parts 2> semi.txt || fail "--delimiter ';' with --previous: $(cat semi.txt)"
grep -q '^previous: 3000 rows read = 3000 written + 0 rejected' semi.txt || fail "semi previous: $(cat semi.txt)"
for p in semi-parts/part-*; do
  [ "$(wc -l < $p/leads.csv)" = "$(wc -l < $p/previous.csv)" ] || fail "$p: leads and previous rows differ"
done
# The published directory has the mode mkdir gives (not mkdtemp's 0700): readable by workers that
# run as another user on shared storage.
(umask 022 && "$bin" partition $ex/b2b-saas.rules --leads $d/leads.csv --parts 2 --out mode-parts --quiet)
[ "$(stat -c %a mode-parts) $(stat -c %a mode-parts/part-00000)" = "755 755" ] ||
  fail "modes: $(stat -c '%a %n' mode-parts mode-parts/part-00000)"

# With an account key, one lead id stays in one part: a duplicate row with another key follows the
# first row (whose part keeps it and rejects the duplicate, as one run does), and a row with a field
# missing is rejected here (its key cannot be trusted; the lead's good row goes to its account).
cat > acc.rules <<'R'
ruleset "acc" version 1
schema lead { lead_id: id  acct: string  employees: number }
account key acct
score fit { rule "Big" when employees >= 100 points 60 }
account score reach { rule "Many" when count(leads where fit >= 60) >= 2 points 30 }
mql when score >= 50
R
score_parts() {  # score_parts DIR [--previous]: every part scored, the rows of all parts sorted
  for p in "$1"/part-*; do
    "$bin" score acc.rules --leads $p/leads.csv ${2:+--previous $p/previous.csv} --as-of 2026-11-02 --out $p/out.csv \
      --no-guards --quiet || fail "score $p"
  done
  for p in "$1"/part-*; do tail -n +2 $p/out.csv; done | sort
}
printf 'lead_id,acct,employees\nL1,A1,500\nL2,A1,500\nL1,A2,5\nL3,A2,5\n' > dup-acc.csv
"$bin" score acc.rules --leads dup-acc.csv --as-of 2026-11-02 --out dup-single.csv --quiet
for n in 2 3 5; do
  "$bin" partition acc.rules --leads dup-acc.csv --parts $n --out dup-parts-$n --quiet || fail "partition dup $n"
  [ "$(score_parts dup-parts-$n)" = "$(tail -n +2 dup-single.csv | sort)" ] ||
    fail "$n parts: a duplicate id with another key: $(score_parts dup-parts-$n)"
done
: > none.csv
printf 'lead_id,acct,employees\nL1,A1,500\nL2,A1,500\n' > acc1.csv
"$bin" score acc.rules --leads acc1.csv --as-of 2026-11-01 --previous none.csv --out acc-prev.csv --quiet
printf 'lead_id,acct,employees\nL1\nL1,A1,500\nL2,A1,500\n' > acc2.csv
"$bin" score acc.rules --leads acc2.csv --as-of 2026-11-02 --previous acc-prev.csv --out acc-single.csv --quiet
for n in 2 3; do
  "$bin" partition acc.rules --leads acc2.csv --previous acc-prev.csv --parts $n --out short-parts-$n 2> short.txt ||
    fail "partition short $n"
  grep -q '^leads: 3 rows read = 2 written + 1 rejected' short.txt || fail "short row: $(cat short.txt)"
  [ "$(score_parts short-parts-$n prev)" = "$(tail -n +2 acc-single.csv | sort)" ] ||
    fail "$n parts: a short row before the good one: $(score_parts short-parts-$n prev)"
done
echo "partition: ok"
