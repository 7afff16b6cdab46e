#!/usr/bin/env bash
# The Dask driver (python/leadscore_dask) on a LocalCluster, with its workers in the driver's process
# (the default) and in their own processes over loopback (--worker-processes): the example in 4 parts
# scores exactly as one run, the totals reconcile, the output is published with _manifest.json and
# _SUCCESS, a killed worker or a killed leadscore is retried without leaving anything behind, and a
# part that fails (after its retries) publishes nothing and leaves the earlier output as it was.
# Skipped (exit 77) when /usr/bin/python3 lacks dask.distributed (Debian: python3-distributed).
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
py=/usr/bin/python3
if ! [ -x $py ] || ! $py -c 'import distributed' 2>/dev/null; then
  echo "SKIP: $py cannot import distributed (apt-get install python3-distributed); the Dask driver is not tested"
  exit 77
fi
export PYTHONPATH=$repo/python
ex=$repo/rules/examples
d=$ex/data/b2b-saas
dask() { timeout 300 $py -m leadscore_dask --local 2 --binary "$bin" --rules $ex/b2b-saas.rules "$@"; }

"$bin" score $ex/b2b-saas.rules --leads $d/leads.csv --activities $d/activities.csv --as-of 2026-11-01 \
  --explain --out single.csv --quiet
"$bin" partition $ex/b2b-saas.rules --leads $d/leads.csv --activities $d/activities.csv --parts 4 --out parts --quiet

dask --parts parts --out scores --as-of 2026-11-01 --explain 2> summary.txt || fail "driver: $(cat summary.txt)"
grep -q '^leads: 3000 rows read = 3000 scored + 0 rejected over 4 parts$' summary.txt || fail "summary: $(cat summary.txt)"
[ -e scores/_SUCCESS ] && [ -e scores/_manifest.json ] || fail "no _SUCCESS or _manifest.json"
[ "$(ls scores | grep -c '^part-')" = 4 ] || fail "parts published: $(ls scores)"
! ls -a . | grep -q staging || fail "staging directory left behind"
[ "$(head -1 scores/part-00000/scores.csv)" = "$(head -1 single.csv)" ] || fail "header"
cmp -s <(tail -n +2 single.csv | sort) <(for p in scores/part-*; do tail -n +2 $p/scores.csv; done | sort) ||
  fail "the parts' scores differ from a single run"
$py - scores/_manifest.json <<'PY' || fail "manifest"
import json, sys
m = json.load(open(sys.argv[1]))
t = m["totals"]
assert t == {"rows_read": 3000, "scored": 3000, "rejected": 0}, t
assert len(m["parts"]) == 4 and sum(p["rows_read"] for p in m["parts"]) == 3000, m["parts"]
assert all(p["rows_read"] == p["scored"] + p["rejected"] for p in m["parts"])
assert m["score_args"] == ["--as-of", "2026-11-01", "--explain"], m["score_args"]
assert len({p["worker"] for p in m["parts"]}) <= 2 and all(p["worker"].startswith("inproc://") for p in m["parts"]), m["parts"]
assert all(0 < p["seconds"] < 300 and p["started"] > 1.7e9 for p in m["parts"]), m["parts"]
PY
cp -r scores scores.before
# Exactly what a published part holds: nothing a killed or retried attempt left behind.
only_outputs() {
  for p in "$1"/part-*; do
    [ "$(ls -A "$p" | tr '\n' ' ')" = "rejects.csv scores.csv " ] || fail "$p holds: $(ls -A "$p" | tr '\n' ' ')"
  done
  ! ls -a . | grep -q -e staging -e attempts || fail "a staging or attempts directory was left behind: $(ls -a)"
}
only_outputs scores

# The same run with each worker in its own process, over TCP on 127.0.0.1.
dask --worker-processes --parts parts --out scores-processes --as-of 2026-11-01 --explain 2> processes.txt ||
  fail "driver with worker processes: $(cat processes.txt)"
grep -q '^leads: 3000 rows read = 3000 scored + 0 rejected over 4 parts$' processes.txt || fail "processes: $(cat processes.txt)"
diff -r --exclude=_manifest.json scores scores-processes > /dev/null || fail "worker processes scored differently"
$py -c 'import json, sys; ps = json.load(open(sys.argv[1]))["parts"]
assert all(p["worker"].startswith("tcp://127.0.0.1:") for p in ps), ps' scores-processes/_manifest.json ||
  fail "worker processes are not on loopback"

# A worker killed in the middle of a part: Dask runs the part again elsewhere and the published
# output is complete and identical. The "binary" kills its worker process on its first call.
cat > killer.sh <<SH
#!/usr/bin/env bash
if mkdir "$work/killed" 2>/dev/null; then kill -9 \$PPID; sleep 5; exit 9; fi
exec "$bin" "\$@"
SH
chmod +x killer.sh
timeout 300 $py -m leadscore_dask --local 2 --worker-processes --binary "$work/killer.sh" --rules $ex/b2b-saas.rules \
  --parts parts --out scores-killed --as-of 2026-11-01 --explain 2> killed.txt ||
  fail "driver with a killed worker: $(cat killed.txt)"
[ -d killed ] || fail "no worker was killed"
grep -q '^leads: 3000 rows read = 3000 scored + 0 rejected over 4 parts$' killed.txt || fail "killed: $(cat killed.txt)"
diff -r --exclude=_manifest.json scores scores-killed > /dev/null || fail "the output differs after a killed worker"
only_outputs scores-killed

# A leadscore process killed in the middle of writing its part (what the kernel's OOM killer does):
# it leaves a partial file behind, the part is retried, and only the retry's output is published.
cat > oom.sh <<SH
#!/usr/bin/env bash
out=; prev=
for a in "\$@"; do [ "\$prev" = --out ] && out=\$a; prev=\$a; done
if mkdir "$work/oom-killed" 2>/dev/null; then
  printf 'lead_id,score\nL-partial,1' > "\$(dirname "\$out")/.scores.csv.tmp.\$\$.partial"
  printf 'lead_id,partial\n' > "\$out"
  kill -9 \$\$
fi
exec "$bin" "\$@"
SH
chmod +x oom.sh
timeout 300 $py -m leadscore_dask --local 2 --binary "$work/oom.sh" --rules $ex/b2b-saas.rules --parts parts \
  --out scores-oom --as-of 2026-11-01 --explain 2> oom.txt || fail "driver with a killed leadscore: $(cat oom.txt)"
[ -d oom-killed ] || fail "no leadscore was killed"
diff -r --exclude=_manifest.json scores scores-oom > /dev/null || fail "the output differs after a killed leadscore"
only_outputs scores-oom

# One attempt, as the task runs it on a worker: a finished attempt is moved into the stage; a late
# second attempt of the same part (from a worker thought lost) is dropped and the staged part kept;
# once the run is over (no stage), a finished attempt fails and leaves nothing behind.
$py - "$bin" $ex/b2b-saas.rules "$work/parts/part-00001" "$work" <<'PY' || fail "score_part attempts"
import os, shutil, sys
from leadscore_dask.tasks import PartFailed, score_part
binary, rules, part, work = sys.argv[1:]
stage, attempts = os.path.join(work, "u-stage"), os.path.join(work, "u-tries")
for d in (stage, attempts):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
args = ["--as-of", "2026-11-01"]
first = score_part(binary, rules, "part-00001", part, stage, attempts, args)
staged = os.path.join(stage, "part-00001")
assert sorted(os.listdir(staged)) == ["rejects.csv", "scores.csv"], os.listdir(staged)
assert os.listdir(attempts) == [], os.listdir(attempts)
with open(os.path.join(staged, "scores.csv"), "rb") as f:
    kept = f.read()
assert kept.count(b"\n") == first["scored"] + 1 and first["rows_read"] == first["scored"] + first["rejected"], first
second = score_part(binary, rules, "part-00001", part, stage, attempts, args)
assert {k: second[k] for k in ("rows_read", "scored", "rejected")} == {k: first[k] for k in ("rows_read", "scored", "rejected")}
with open(os.path.join(staged, "scores.csv"), "rb") as f:
    assert f.read() == kept
assert sorted(os.listdir(staged)) == ["rejects.csv", "scores.csv"] and os.listdir(attempts) == []
shutil.rmtree(stage)
try:
    score_part(binary, rules, "part-00001", part, stage, attempts, args)
    raise AssertionError("an attempt after the run ended was accepted")
except PartFailed as e:
    assert str(e).startswith("part-00001: cannot move the finished part into "), e
assert os.listdir(attempts) == [] and not os.path.exists(stage), (os.listdir(attempts), os.path.exists(stage))
os.rmdir(attempts)
PY

# A part that is killed on every try names the signal.
cat > always-killed.sh <<'SH'
#!/usr/bin/env bash
kill -9 $$
SH
chmod +x always-killed.sh
set +e
timeout 300 $py -m leadscore_dask --local 2 --binary "$work/always-killed.sh" --rules $ex/b2b-saas.rules --parts parts \
  --out scores-never --as-of 2026-11-01 --retries 0 2> never.txt; rc=$?
set -e
[ $rc -eq 1 ] && [ ! -e scores-never ] || fail "always killed: exit $rc ($(cat never.txt))"
grep -q 'part-00000: leadscore was killed by signal 9 (SIGKILL)' never.txt || fail "signal message: $(cat never.txt)"
only_outputs scores

# One part's leads file lacks the id column: that part fails on every try, nothing is published,
# and the message names the part with leadscore's own message.
cp -r parts broken
sed -i '1s/^lead_id,/id,/' broken/part-00002/leads.csv
set +e
dask --parts broken --out scores --as-of 2026-11-01 --explain --retries 1 2> err.txt
rc=$?
set -e
[ $rc -eq 1 ] || fail "a failing part: exit $rc ($(cat err.txt))"
grep -q '1 of 4 parts failed after 1 retries; nothing was published' err.txt || fail "message: $(cat err.txt)"
grep -q 'part-00002: leadscore exited with status 1: .*required column "lead_id" is missing' err.txt ||
  fail "part message: $(cat err.txt)"
diff -r scores scores.before > /dev/null || fail "a failed run changed the published output"
! ls -a . | grep -q staging || fail "staging directory left behind by a failed run"

# A new OUT is not created when a part fails; a score option the driver sets itself is refused.
set +e
dask --parts broken --out fresh --as-of 2026-11-01 --retries 0 2> err.txt; rc=$?
set -e
[ $rc -eq 1 ] && [ ! -e fresh ] || fail "failed run created fresh/ (exit $rc)"
set +e
dask --parts parts --out fresh --as-of 2026-11-01 --rejects r.csv 2> err.txt; rc=$?
set -e
[ $rc -eq 1 ] && grep -q -- '--rejects is set by the driver' err.txt || fail "--rejects in score args: $(cat err.txt)"
set +e
timeout 300 $py -m leadscore_dask --scheduler tcp://127.0.0.1:1 --worker-processes --binary "$bin" \
  --rules $ex/b2b-saas.rules --parts parts --out fresh 2> err.txt; rc=$?
set -e
[ $rc -eq 2 ] && grep -q -- '--worker-processes goes with --local' err.txt || fail "--worker-processes alone: $rc $(cat err.txt)"

# On a --local cluster Dask's stack sampler is turned off (the parts run in leadscore processes it
# cannot see); a value set in the environment is kept.
$py - <<'PY' || fail "quiet_local_profiler"
import os, dask
from leadscore_dask.__main__ import quiet_local_profiler
os.environ.pop("DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED", None)
with dask.config.set({"distributed.worker.profile.enabled": True}):
    quiet_local_profiler(dask.config)
    assert dask.config.get("distributed.worker.profile.enabled") is False
os.environ["DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"] = "True"
with dask.config.set({"distributed.worker.profile.enabled": True}):
    quiet_local_profiler(dask.config)
    assert dask.config.get("distributed.worker.profile.enabled") is True
PY

# ---- The publish guards are judged on all parts together, as one run would judge them: a part with
# no lead, or whose leads' newest event is older than --max-staleness, is no reason to refuse.
head -4 $d/leads.csv > few-leads.csv  # 3 leads in 8 parts: at least 5 parts hold none
printf 'lead_id,type,occurred_at,url\nL00001,page_view,2026-10-31T12:00:00Z,/\nL00002,page_view,2026-09-01T00:00:00Z,/\n' \
  > few-events.csv
"$bin" partition $ex/b2b-saas.rules --leads few-leads.csv --activities few-events.csv --parts 8 --out few-parts --quiet
dask --parts few-parts --out few --as-of 2026-11-01 --max-staleness 2d 2> few.txt || fail "few leads in 8 parts: $(cat few.txt)"
grep -q '^leads: 3 rows read = 3 scored + 0 rejected over 8 parts$' few.txt || fail "few: $(cat few.txt)"
# A day later than the newest event allows, the whole run is refused (exit 4, as score's guard), and
# the output published before stays as it was.
cp -r few few.before
set +e
dask --parts few-parts --out few --as-of 2026-11-05 --max-staleness 2d 2> stale.txt; rc=$?
set -e
[ $rc = 4 ] || fail "stale run exited $rc: $(cat stale.txt)"
grep -q 'refused to publish: the newest activity event over all parts (2026-10-31T12:00:00+00:00) is older than --max-staleness 2d' \
  stale.txt || fail "stale: $(cat stale.txt)"
diff -r few few.before > /dev/null || fail "a refused run changed the published output"
set +e
dask --parts few-parts --out few --as-of 2026-11-01 --max-reject-rate 0 --no-guards 2> noguards.txt; rc=$?
set -e
[ $rc = 1 ] && grep -q -- '--no-guards is set by the driver for each part' noguards.txt || fail "--no-guards: $rc $(cat noguards.txt)"

# The reject rate is judged on the totals: 60 of 200 rows is 30%, whatever one part's share.
$py - <<'PY' || fail "guards.refusal"
from leadscore_dask.guards import refusal
part = lambda read, rejected: {"rows_read": read, "scored": read - rejected, "rejected": rejected}
parts = [part(100, 55), part(100, 5)]  # the first part alone is 55%
assert refusal(parts, "2026-11-01") is None
assert refusal(parts, "2026-11-01", max_reject_rate=0.25).startswith("60 of 200 rows (30.0%) were rejected"), refusal(parts, "2026-11-01", 0.25)
assert refusal([part(10, 9)], "2026-11-01") is None  # the default rate judges 100 rows or more
assert refusal([part(0, 0), part(0, 0)], "2026-11-01") == "no part has a data row: nothing to score"
assert refusal([part(3, 3)], "2026-11-01").startswith("none of the 3 lead rows")
events = lambda newest, used=1: dict(part(10, 0), events_read=5, events_used=used, newest_used=newest)
assert refusal([events("2026-10-30T00:00:00Z"), events(None, 0)], "2026-11-01", max_staleness="2d") is None
assert "older than --max-staleness 1d" in refusal([events("2026-10-30T00:00:00+02:00")], "2026-11-01T00:00:00Z", max_staleness="1d")
assert refusal([events(None, 0)], "2026-11-01") is None  # no event used: refused only when --max-staleness is given
assert refusal([events(None, 0)], "2026-11-01", max_staleness="7d").startswith("no activity event")
assert refusal([events("2020-01-01T00:00:00Z")], "2026-11-01", max_staleness="none") is None
PY

# ---- --changes-out would have every part overwrite one file: refused; --write-changes gives each
# part its own, published with the rest, and together they are the single run's changes.
"$bin" score $ex/b2b-saas.rules --leads $d/leads.csv --activities $d/activities.csv --as-of 2026-10-25 --out night1.csv --quiet
"$bin" score $ex/b2b-saas.rules --leads $d/leads.csv --activities $d/activities.csv --as-of 2026-11-01 \
  --previous night1.csv --out night2.csv --changes-out changes.csv --quiet
"$bin" partition $ex/b2b-saas.rules --leads $d/leads.csv --activities $d/activities.csv --previous night1.csv --parts 4 \
  --out night-parts --quiet
set +e
dask --parts night-parts --out night --as-of 2026-11-01 --changes-out shared.csv 2> clash.txt; rc=$?
set -e
[ $rc = 1 ] && grep -q -- '--changes-out would have every part write the same file; give --write-changes' clash.txt ||
  fail "--changes-out: $rc $(cat clash.txt)"
[ ! -e shared.csv ] && [ ! -e night ] || fail "a refused --changes-out run wrote something"
(umask 022 && dask --parts night-parts --out night --as-of 2026-11-01 --write-changes 2> night.txt) ||
  fail "--write-changes: $(cat night.txt)"
[ "$(stat -c %a night) $(stat -c %a night/part-00000)" = "755 755" ] || fail "modes: $(stat -c '%a %n' night night/part-00000)"
[ "$(ls night/part-00000 | tr '\n' ' ')" = "changes.csv rejects.csv scores.csv " ] || fail "part files: $(ls night/part-00000)"
cmp -s <(tail -n +2 changes.csv | sort) <(tail -q -n +2 night/part-*/changes.csv | sort) ||
  fail "the parts' changes differ from a single run's"
[ "$(tail -n +2 changes.csv | wc -l)" -gt 0 ] || fail "no changes to compare"
echo "scale_out: ok"
