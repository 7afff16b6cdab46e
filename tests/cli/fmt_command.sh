#!/usr/bin/env bash
# `leadscore fmt` through the real binary: bash fmt_command.sh LEADSCORE_BIN REPO_DIR WORK_DIR
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

# 1. A badly laid out file: --check reports it and changes nothing; fmt rewrites it in place.
cat > "$WORK/messy.rules" <<'RULES'
ruleset "messy" version 1
schema lead {
lead_id: id
    employees: int   from "Employees"   # headcount
}
score fit {
  rule "Big"   when employees>=1000 points 20
  rule "Mid-market" when employees between 100 and 999 points 10   # the core
}
mql when fit>=20 or (employees>5000 and fit>0)
RULES
cat > "$WORK/want.rules" <<'RULES'
ruleset "messy" version 1
schema lead {
  lead_id:   id
  employees: int  from "Employees"  # headcount
}
score fit {
  rule "Big"         when employees >= 1000              points 20
  rule "Mid-market"  when employees between 100 and 999  points 10  # the core
}
mql when fit >= 20 or (employees > 5000 and fit > 0)
RULES
cp "$WORK/messy.rules" "$WORK/messy.orig"
run "$WORK/check.out" "$WORK/check.err" "$BIN" fmt --check "$WORK/messy.rules"
expect_status 1 $status "fmt --check on an unformatted file"
expect_line "$WORK/check.out" "^$WORK/messy.rules: not formatted$" "--check names the file"
expect_line "$WORK/check.out" '^@@ -1,' "--check shows a hunk header"
expect_line "$WORK/check.out" '^-lead_id: id$' "--check shows the old line"
expect_line "$WORK/check.out" '^\+  lead_id:   id$' "--check shows the new line"
expect_line "$WORK/check.out" '^1 of 1 file not formatted' "--check summary"
cmp -s "$WORK/messy.rules" "$WORK/messy.orig" || fail "--check changed the file"

run "$WORK/stdout.out" "$WORK/stdout.err" "$BIN" fmt --stdout "$WORK/messy.rules"
expect_status 0 $status "fmt --stdout"
cmp -s "$WORK/stdout.out" "$WORK/want.rules" || { diff "$WORK/want.rules" "$WORK/stdout.out" >&2; fail "--stdout output"; }
cmp -s "$WORK/messy.rules" "$WORK/messy.orig" || fail "--stdout changed the file"

run "$WORK/fmt.out" "$WORK/fmt.err" "$BIN" fmt "$WORK/messy.rules"
expect_status 0 $status "fmt in place"
expect_line "$WORK/fmt.out" "^formatted $WORK/messy.rules$" "fmt says what it rewrote"
cmp -s "$WORK/messy.rules" "$WORK/want.rules" || { diff "$WORK/want.rules" "$WORK/messy.rules" >&2; fail "in-place rewrite"; }
ls -A "$WORK" | grep -q '\.tmp\.' && fail "a temporary file was left behind"
run "$WORK/again.out" "$WORK/again.err" "$BIN" fmt --check "$WORK/messy.rules"
expect_status 0 $status "fmt --check after fmt"
[[ ! -s "$WORK/again.out" ]] || fail "--check on a formatted file printed: $(cat "$WORK/again.out")"
run "$WORK/again.out" "$WORK/again.err" "$BIN" fmt "$WORK/messy.rules"
expect_status 0 $status "fmt on a formatted file"
[[ ! -s "$WORK/again.out" ]] || fail "fmt rewrote an already formatted file"

# 2. A file with a syntax error: diagnostics with a caret, exit 1, file untouched.
printf 'ruleset "bad" version 1\nscore s {\n  rule "r" when   points 1\n}\n' > "$WORK/bad.rules"
cp "$WORK/bad.rules" "$WORK/bad.orig"
for mode in "" --check; do
  run "$WORK/bad.out" "$WORK/bad.err" "$BIN" fmt $mode "$WORK/bad.rules" "$WORK/messy.rules"
  expect_status 1 $status "fmt $mode on a file with a syntax error"
  expect_line "$WORK/bad.err" "^$WORK/bad.rules:3:[0-9]+: error: " "syntax error position"
  expect_line "$WORK/bad.err" '^ +\| +\^' "caret under the error"
  expect_line "$WORK/bad.err" "^$WORK/bad.rules: not formatted: fix the errors above first$" "refusal line"
  cmp -s "$WORK/bad.rules" "$WORK/bad.orig" || fail "a file with errors was changed"
done

# 3. Usage errors.
run "$WORK/u.out" "$WORK/u.err" "$BIN" fmt
expect_status 2 $status "fmt without files"
run "$WORK/u.out" "$WORK/u.err" "$BIN" fmt --check --stdout "$WORK/messy.rules"
expect_status 2 $status "fmt --check --stdout"

# A FIFO is not rewritten in place (it would be replaced by a regular file, or wait for a writer);
# with --stdout it is read like any file.
mkfifo "$WORK/pipe.rules"
run "$WORK/p.out" "$WORK/p.err" timeout 10 "$BIN" fmt "$WORK/pipe.rules"
expect_status 1 $status "fmt in place on a FIFO"
expect_line "$WORK/p.err" "pipe.rules is not a regular file, so it cannot be rewritten in place; use --stdout" "FIFO refusal"
[[ -p "$WORK/pipe.rules" ]] || fail "the FIFO was replaced"
cat "$WORK/messy.rules" > "$WORK/pipe.rules" &
run "$WORK/p2.out" "$WORK/p2.err" timeout 10 "$BIN" fmt --stdout "$WORK/pipe.rules"
wait
expect_status 0 $status "fmt --stdout on a FIFO"
cmp -s "$WORK/p2.out" "$WORK/messy.rules" || fail "fmt --stdout of the FIFO differs from the formatted file"

# 4. The repository's rules files are formatted.
shopt -s nullglob
repo_rules=("$REPO"/rules/examples/*.rules "$REPO"/bench/*.rules)
(( ${#repo_rules[@]} >= 4 )) || fail "no repository rules files found"
run "$WORK/repo.out" "$WORK/repo.err" "$BIN" fmt --check "${repo_rules[@]}"
expect_status 0 $status "fmt --check on the repository's rules (run: leadscore fmt rules/examples/*.rules bench/*.rules)"

# 5. Every repository and conformance rules file: formatting a copy keeps the compiled graph, a second
#    pass changes nothing, and the conformance score cases still produce their expected output.
CONFORMANCE="$REPO/../shared/conformance"
mkdir -p "$WORK/repo"
for f in "${repo_rules[@]}"; do
  name=$(basename "$(dirname "$f")")-$(basename "$f")
  cp "$f" "$WORK/repo/$name"
done
[[ -d "$REPO/rules/examples/lists" ]] && cp -r "$REPO/rules/examples/lists" "$WORK/repo/lists"
[[ -d "$REPO/bench/lists" ]] && cp -r "$REPO/bench/lists" "$WORK/repo/"
files=("$WORK"/repo/*.rules)
score_cases=()
if [[ -d "$CONFORMANCE/cases" ]]; then
  cp -r "$CONFORMANCE/cases" "$WORK/cases"
  for c in "$WORK"/cases/*/; do
    files+=("$c/rules.rules")
    [[ -f "$c/expected.csv" ]] && score_cases+=("$(basename "$c")")
  done
fi
formatted=0
for f in "${files[@]}"; do
  cp "$f" "$f.orig"
  run "$WORK/g1.out" "$WORK/g1.err" "$BIN" compile "$f" --print-graph
  compiles=$status
  run "$WORK/f.out" "$WORK/f.err" "$BIN" fmt "$f"
  if [[ $status != 0 ]]; then  # only a file that does not parse may be refused
    grep -q ': error: ' "$WORK/f.err" || fail "fmt failed on $f without a syntax error: $(cat "$WORK/f.err")"
    grep -q 'internal error' "$WORK/f.err" && fail "fmt would change the meaning of $f"
    cmp -s "$f" "$f.orig" || fail "fmt changed $f although it refused it"
    continue
  fi
  formatted=$((formatted + 1))
  run "$WORK/f2.out" "$WORK/f2.err" "$BIN" fmt --check "$f"
  expect_status 0 $status "fmt is not a fixed point on $f: $(cat "$WORK/f2.out")"
  if [[ $compiles == 0 ]]; then
    run "$WORK/g2.out" "$WORK/g2.err" "$BIN" compile "$f" --print-graph
    expect_status 0 $status "formatted $f compiles"
    cmp -s "$WORK/g1.out" "$WORK/g2.out" || { diff "$WORK/g1.out" "$WORK/g2.out" | head >&2; fail "graph of $f changed"; }
  fi
done
(( formatted >= ${#repo_rules[@]} + 10 )) || [[ ! -d "$CONFORMANCE/cases" ]] || fail "only $formatted files formatted"
if (( ${#score_cases[@]} > 0 )); then
  run "$WORK/conf.out" "$WORK/conf.err" env CASES="$WORK/cases" bash "$CONFORMANCE/run.sh" "$BIN" "${score_cases[@]}"
  expect_status 0 $status "conformance score cases on formatted rules: $(cat "$WORK/conf.out")"
  expect_line "$WORK/conf.out" "^${#score_cases[@]} passed, 0 failed$" "conformance summary"
fi
echo "fmt_command: all checks passed ($formatted files formatted)"
