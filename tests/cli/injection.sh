#!/usr/bin/env bash
# Text from rules and data is escaped for its destination (issue 11): GitHub annotations, text and
# Markdown reports, CSV for spreadsheets, HTML. The hostile values: a lead id and a test-case name
# holding a newline and `::stop-commands::`, a label with a newline, ids that spreadsheets run.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
export GIT_CEILING_DIRECTORIES=$(dirname "$(realpath "$work")")  # outside any repository (see diff_order_and_shift.sh)
fail() { echo "FAIL: $*"; exit 1; }
# Every line that begins with `::` must be one whole annotation: `::KIND[ PROPERTIES]::MESSAGE`
# whose properties hold no `:` (escaped as %3A), and no line may begin with `::stop-commands`.
# A report that leadscore itself pauses commands around (`::stop-commands::leadscore-report-HEX` on its
# first line, up to `::leadscore-report-HEX::`) is text for the runner: only the lines after it count.
outside_pause() {
  awk 'NR == 1 && /^::stop-commands::leadscore-report-[0-9a-f]+$/ { token = substr($0, 18); paused = 1; next }
       paused && $0 == "::" token "::" { paused = 0; next }
       !paused' "$1"
}
only_annotations() {  # only_annotations FILE WHAT
  local bad
  bad=$(outside_pause "$1" | grep -n '^ *::' | grep -Ev '^[0-9]+:::(error|warning|notice)( [^:]*)?::' || true)
  [ -z "$bad" ] || fail "$2: a line begins with :: outside an annotation: $bad"
  ! outside_pause "$1" | grep -q '^ *::stop-commands' || fail "$2: ::stop-commands:: starts a line"
  if head -1 "$1" | grep -q '^::stop-commands::'; then
    [ "$(outside_pause "$1" | wc -l)" -lt "$(wc -l < "$1")" ] || fail "$2: the pause is never ended"
  fi
}

# ---- check --format github: a label with \n is refused, the annotation is one line.
printf 'ruleset "x" version 1\nschema lead { lead_id: id  country: string }\nscore s {\n  rule "a\\n::stop-commands::tok" when country == "US" points 1\n}\n' > label.rules
set +e
"$bin" check --format github label.rules > check.txt 2>&1; rc=$?
set -e
[ $rc -eq 1 ] || fail "check of a label with \\n: exit $rc"
grep -q '^::error file=label.rules,line=4,col=8::a label contains a line break (\\n)' check.txt ||
  fail "check annotation: $(cat check.txt)"
only_annotations check.txt "check --format github"
# Properties: a path with , and : is escaped.
cp label.rules 'we,ird:name.rules'
"$bin" check --format github 'we,ird:name.rules' > check2.txt 2>&1 || true
grep -q '^::error file=we%2Cird%3Aname.rules,line=4,col=8::' check2.txt || fail "file= not escaped: $(head -1 check2.txt)"

# ---- diff --format github and markdown: a lead id with a newline and workflow commands.
printf 'ruleset "x" version 1\nschema lead { lead_id: id  country: string }\nscore s {\n  rule "US" when country == "US" points 1\n}\n' > old.rules
sed 's/points 1/points 5/' old.rules > 'new,x:y.rules'
printf 'lead_id,country\n"L1\n::stop-commands::tok\n::error::injected",US\n"=HYPERLINK(""http://x"")|a",US\nL3,CA\n' > leads.csv
"$bin" diff old.rules 'new,x:y.rules' --leads leads.csv --as-of 2026-11-01 --format github > diff.txt 2> diff.err ||
  fail "diff github: $(cat diff.err)"
only_annotations diff.txt "diff --format github"
grep -q '^::notice file=new%2Cx%3Ay.rules,line=4,col=8::rule "US" changed: when country == "US" points 1 -> when country == "US" points 5$' diff.txt ||
  fail "diff notice: $(grep '^::' diff.txt)"
grep -q '^  L1\\n::stop-commands::tok\\n::error::injected ' diff.txt || fail "diff text: the id is not on one line"
# A lead id and a classify value that start with :: begin indented lines of the text report (the
# runner trims blanks before looking for a command): they are inside the pause.
printf 'ruleset "o" version 1\nschema lead { lead_id: id  n: number }\nscore fit { rule "R" when n > 1 points 10 }\nmql when fit >= 10\nclassify q { "::error::cls" when fit >= 10  "c" otherwise }\n' > o.rules
sed 's/n > 1/n > 4/; s/version 1/version 2/' o.rules > n.rules
printf 'lead_id,n\n"::error file=x,line=1::pwned",3\nL2,9\n' > o.csv
"$bin" diff o.rules n.rules --leads o.csv --as-of 2026-11-01 --format github > diff-lines.txt 2> /dev/null || true
grep -q '^  ::error file=x,line=1::pwned ' diff-lines.txt || fail "the id is not in the report: $(cat diff-lines.txt)"
only_annotations diff-lines.txt "diff --format github, values at line starts"
# A NEW side whose label holds a line break does not compile: the report and its errors stay safe.
set +e
"$bin" diff old.rules label.rules --leads leads.csv --as-of 2026-11-01 --format github > diff-label.txt 2>&1; rc=$?
set -e
[ $rc -eq 1 ] || fail "diff with a label holding \\n: exit $rc"
only_annotations diff-label.txt "diff --format github, NEW does not compile"
grep -q '^label.rules:4:8: error: a label contains a line break' diff-label.txt || fail "diff label: $(cat diff-label.txt)"
"$bin" diff old.rules 'new,x:y.rules' --leads leads.csv --as-of 2026-11-01 --format markdown > diff.md
only_annotations diff.md "diff --format markdown"
grep -q '^| L1 ::stop-commands::tok ::error::injected | 1 | 5 | +4 |' diff.md || fail "markdown: id cell: $(grep L1 diff.md)"
grep -q '^| =HYPERLINK("http://x")\\|a | 1 | 5 | +4 |' diff.md || fail "markdown: | in a cell"

# ---- test --format github: a case name with newlines, a failing expectation, a NUL.
cat > x.test.yaml <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: "fails\n::stop-commands::tok\n::error::owned"
    lead: { lead_id: A, country: US }
    expect: { s: 99 }
  - name: "nul\0name"
    lead: { lead_id: B, country: US }
    expect: { s: 1 }
YAML
cp old.rules x.rules
set +e
"$bin" test --format github x.rules > test.txt 2>&1; rc=$?
set -e
[ $rc -eq 1 ] || fail "test exit $rc"
only_annotations test.txt "test --format github"
grep -q '^FAIL x.test.yaml: fails\\n::stop-commands::tok\\n::error::owned$' test.txt || fail "test name: $(head -3 test.txt)"
grep -q '^::error file=x.test.yaml,line=5,col=15::case "fails%0A::stop-commands::tok%0A::error::owned": ' test.txt ||
  fail "test annotation: $(grep '^::' test.txt)"
grep -q '^PASS x.test.yaml: nul\\x00name$' test.txt || fail "NUL in a name: $(cat -v test.txt | tail -3)"
tail -1 test.txt | grep -qx '1 passed, 1 failed' || fail "the summary line is missing: $(tail -1 test.txt | cat -v)"
[ "$(tr -d '\000' < test.txt | wc -c)" -eq "$(wc -c < test.txt)" ] || fail "a NUL byte reached the output"

# ---- CSV for spreadsheets: ids, classify values and reasons; JSON lines stay raw.
cat > sheet.rules <<'RULES'
ruleset "sheet" version 1
schema lead { lead_id: id  country: string }
score s {
  rule "Demo request" when country == "US" points 40
  rule "Gone quiet" when country == "CA" points -10
}
classify tier { "=cmd" when s > 0  "-cold" otherwise }
RULES
printf 'lead_id,country\n=HYPERLINK("http://evil"),US\n-5,CA\n+44,US\n@SUM(A1),DE\n-2+3,DE\nplain,DE\n=1,"US",x\n' > sheet.csv
"$bin" score sheet.rules --leads sheet.csv --as-of 2026-11-01 --explain --out safe.csv --rejects rejects.csv --quiet
cat > want.csv <<'CSV'
lead_id,s,score,tier,reasons
"'=HYPERLINK(""http://evil"")",40,40,'=cmd,'+40 Demo request
-5,-10,-10,'-cold,'-10 Gone quiet
+44,40,40,'=cmd,'+40 Demo request
'@SUM(A1),0,0,'-cold,
'-2+3,0,0,'-cold,
plain,0,0,'-cold,
CSV
cmp -s want.csv safe.csv || { diff want.csv safe.csv; fail "spreadsheet-safe CSV"; }
tail -n +2 rejects.csv | grep -qx '8,"expected 2 fields (as in the header), found 3","'"'"'=1,""US"",x"' ||
  fail "rejects: $(cat rejects.csv)"
"$bin" score sheet.rules --leads sheet.csv --as-of 2026-11-01 --explain --out raw.csv --spreadsheet-safe off --quiet
sed -n 2p raw.csv | grep -qx '"=HYPERLINK(""http://evil"")",40,40,=cmd,+40 Demo request' || fail "off: $(sed -n 2p raw.csv)"
"$bin" score sheet.rules --leads sheet.csv --as-of 2026-11-01 --explain --format jsonl --out raw.jsonl --quiet
sed -n 1p raw.jsonl | grep -qF '{"lead_id":"=HYPERLINK(\"http://evil\")","s":40,"score":40,"tier":"=cmd","reasons":[{"kind":"rule","label":"Demo request","value":40}]}' ||
  fail "jsonl: $(sed -n 1p raw.jsonl)"
set +e
"$bin" score sheet.rules --leads sheet.csv --as-of 2026-11-01 --out x.csv --spreadsheet-safe maybe 2> err.txt; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'spreadsheet-safe takes on or off, not "maybe"' err.txt || fail "bad --spreadsheet-safe: $rc"
# ---- HTML: the calibration report escapes the ruleset name and every label.
cat > html.rules <<'RULES'
ruleset "<b>acme</b> & co" version 1
schema lead { lead_id: id  country: string  y: string }
score s { rule "<script>alert('x')</script> & \"US\"" when country == "US" points 10 }
RULES
{ echo "lead_id,country,y"; for i in $(seq 1 200); do
    echo "L$i,$([ $((i % 3)) = 0 ] && echo US || echo CA),$([ $((i % 2)) = 0 ] && echo yes || echo no)"; done; } > html.csv
"$bin" calibrate html.rules --leads html.csv --outcome-column y --won yes --lost no --as-of 2026-11-01 --min-support 5 \
  --out w.yaml --quiet 2> /dev/null
"$bin" report w.yaml --out report.html
! grep -qi '<script\|<b>acme' report.html || fail "HTML: unescaped text from the rules"
grep -q '<td class="l">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;US&quot;</td>' report.html ||
  fail "HTML: label cell"
grep -q '<title>Calibration report: &lt;b&gt;acme&lt;/b&gt; &amp; co</title>' report.html || fail "HTML: title"
echo "injection: ok"
