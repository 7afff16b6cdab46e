#!/usr/bin/env bash
# examples/ci/github-actions.yml: it parses, builds leadscore only on a cache miss, keeps one comment
# per pull request (by its marker), does not comment from forks, and every leadscore command it runs
# works on a copy of the B2B example laid out as the workflow expects.
#   bash ci_workflow.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") REPO=$(realpath "$2") WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK/steps" "$WORK/bin"
fail() { echo "FAIL: $*" >&2; exit 1; }
WF="$REPO/examples/ci/github-actions.yml"

python3 - "$WF" "$WORK/steps" <<'PY'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
steps = wf["jobs"]["rules"]["steps"]
by_name = {s.get("name", s.get("uses")): s for s in steps}
assert "pull_request_target" not in wf[True], "runs on pull_request only"
build = [s for s in steps if "setup.sh" in s.get("run", "")]
assert len(build) == 1 and "cache-hit" in build[0]["if"], "leadscore is built only on a cache miss"
cache = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
assert cache and "LEADSCORE_VERSION" in cache[0]["with"]["key"], "the cache is keyed by the pinned version"
assert wf["env"]["LEADSCORE_VERSION"].startswith("v"), "a pinned version"
comment = [s for s in steps if "issues/comments" in s.get("run", "")]
assert len(comment) == 1 and "PATCH" in comment[0]["run"] and "MARKER" in comment[0]["run"], "one comment, updated"
assert "head.repo.full_name == github.repository" in comment[0]["if"], "no comment from a fork"
# The steps that run leadscore on the repository's files, in order, as scripts.
n = 0
for s in steps:
    run = s.get("run", "")
    if ("leadscore " in run and "setup.sh" not in run and "issues/comments" not in run and "--version" not in run
            and "outputs.status" not in s.get("if", "")):
        n += 1
        open(f"{sys.argv[2]}/{n:02d}.sh", "w").write(run)
assert n >= 4, n
env = "".join(f"export {k}='{v}'\n" for k, v in wf["env"].items())
open(f"{sys.argv[2]}/env.sh", "w").write(env)
PY

# A rules repository as the workflow expects it, with a base branch and a pull-request branch.
R="$WORK/rules-repo"
mkdir -p "$R/rules" "$R/sample"
cp "$REPO/rules/examples/b2b-saas.rules" "$REPO/rules/examples/b2b-saas.test.yaml" "$R/rules/"
cp -r "$REPO/rules/examples/lists" "$R/rules/"
cp "$REPO/rules/examples/data/b2b-saas/leads.csv" "$REPO/rules/examples/data/b2b-saas/activities.csv" "$R/sample/"
git -C "$R" init -q -b main && git -C "$R" add . &&
  git -C "$R" -c user.name=t -c user.email=t@example.com commit -qm base
git clone -q "$R" "$WORK/checkout"
cd "$WORK/checkout"
git checkout -q -b pr
sed -i 's/version 3/version 4/; s/^mql when cpal and fit >= 50 and interest >= 35$/mql when cpal and fit >= 40 and interest >= 25/' rules/b2b-saas.rules
git -c user.name=t -c user.email=t@example.com commit -qam "lower the MQL fit threshold"

ln -s "$BIN" "$WORK/bin/leadscore"
export PATH="$WORK/bin:$PATH" GITHUB_BASE_REF=main GITHUB_STEP_SUMMARY="$WORK/summary.md" GITHUB_OUTPUT="$WORK/output"
# shellcheck disable=SC1091
source "$WORK/steps/env.sh"
for step in "$WORK"/steps/[0-9]*.sh; do
  bash -e "$step" > "$WORK/step.out" 2>&1 || { cat "$WORK/step.out" >&2; fail "workflow step $(basename "$step") failed"; }
done
head -1 report.md | grep -qx '<!-- leadscore-diff-report -->' || fail "the report starts with the comment marker"
grep -q '^| rules/b2b-saas.rules:[0-9]* | mql | mql | changed |' report.md || fail "the report lists the mql change: $(cat report.md)"
grep -q '^### MQL flips' report.md || fail "the report lists MQL flips"
cmp -s report.md "$WORK/summary.md" || fail "the job summary holds the report"
grep -qx 'status=[03]' "$WORK/output" || fail "status output: $(cat "$WORK/output")"
grep -q '^::notice file=rules/b2b-saas.rules,line=[0-9]*,col=1::mql "mql" changed' "$WORK/step.out" || fail "annotations: $(grep '^::' "$WORK/step.out" | head)"
echo "ci_workflow: all checks passed"
