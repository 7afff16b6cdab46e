#!/usr/bin/env bash
# SIGTERM, SIGINT and SIGHUP during a long `score` run: the process ends by the signal, no
# `.NAME.tmp.*` file is left, and the previous outputs are intact (docs/reliability.md).
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

cat > x.rules <<'EOF'
ruleset "x" version 1
schema lead { lead_id: id  email: string  x: int }
score s {
  rule "big"  when x > 5 points 10
  rule "mid"  when x between 2 and 5 points 5
  rule "acme" when domain(email) == "acme.com" points 3
}
EOF
# A million leads (30 MB): loading and scoring take long enough to be interrupted while the
# temporary files exist. One bad row, so the rejects file is written too.
awk 'BEGIN { print "lead_id,email,x"; for (i = 1; i <= 1000000; i++) print "L" i ",a" i "@acme.com," (i % 10); print "bad" }' \
  > leads.csv
echo "previous scores" > scores.csv
echo "previous rejects" > rejects.csv

temporaries() { find . -maxdepth 1 -name '.*.tmp.*' | sort; }

# Starts a run, waits until the temporary for `wait_for` exists, sends the signal and checks the result.
interrupt() {
  local signal=$1 wait_for=$2
  # A background job of a non-interactive shell starts with SIGINT ignored (and a program keeps a
  # signal ignored); env restores the default, as a terminal's Ctrl-C finds it.
  env --default-signal=INT "$bin" score x.rules --leads leads.csv --as-of 2026-11-01 \
    --out scores.csv --rejects rejects.csv --explain --quiet 2> err.txt &
  local pid=$! seen=""
  for _ in $(seq 1 3000); do
    if temporaries | grep -q "$wait_for"; then seen=1; break; fi
    kill -0 $pid 2> /dev/null || break
    sleep 0.01
  done
  [ -n "$seen" ] || fail "SIG$signal: the run ended before its temporary $wait_for appeared"
  kill -s "$signal" $pid
  set +e
  { wait $pid; } 2> /dev/null
  local rc=$?
  set -e
  [ $rc -eq $((128 + $(kill -l "$signal"))) ] || fail "SIG$signal: exit $rc, expected death by the signal ($(cat err.txt))"
  [ -z "$(temporaries)" ] || fail "SIG$signal left temporary files: $(temporaries)"
  [ "$(cat scores.csv)" = "previous scores" ] && [ "$(cat rejects.csv)" = "previous rejects" ] ||
    fail "SIG$signal: a previous output changed"
}

interrupt TERM '\.rejects\.csv\.tmp\.'  # while the leads are read (only the rejects are open)
interrupt INT '\.scores\.csv\.tmp\.'    # while scoring: both temporaries exist
interrupt HUP '\.scores\.csv\.tmp\.'
interrupt TERM '\.scores\.csv\.tmp\.'

# Uninterrupted, the same run replaces both.
"$bin" score x.rules --leads leads.csv --as-of 2026-11-01 --out scores.csv --rejects rejects.csv --quiet
[ "$(wc -l < scores.csv)" -eq 1000001 ] && [ "$(wc -l < rejects.csv)" -eq 2 ] || fail "the full run did not publish"
# `partition --out DIR` stages DIR beside it: a signal while a part is being written removes the
# staging directory with every part in it, and the partition published before stays as it was.
head -3 leads.csv > few.csv
"$bin" partition x.rules --leads few.csv --parts 4 --out parts 2> err.txt || fail "partition: $(cat err.txt)"
before=$(find parts -type f | sort | xargs cat | cksum)
mkfifo leads.fifo
exec 3<> leads.fifo  # held open here: the run reads a header and a row, then waits for more
printf 'lead_id,email,x\nL1,a@acme.com,1\n' >&3
env --default-signal=INT "$bin" partition x.rules --leads leads.fifo --parts 4 --out parts 2> err.txt &
pid=$!
staged=""
for _ in $(seq 1 1000); do
  staged=$(find . -maxdepth 1 -name '.parts.staging.*')
  [ -n "$staged" ] && [ -d "$staged/part-0003" ] && break
  kill -0 $pid 2> /dev/null || break
  sleep 0.01
done
[ -n "$staged" ] || { exec 3>&-; fail "partition: no staging directory appeared ($(cat err.txt))"; }
kill -s TERM $pid
set +e
{ wait $pid; } 2> /dev/null
rc=$?
set -e
exec 3>&-
[ $rc -eq 143 ] || fail "partition SIGTERM: exit $rc, expected death by the signal ($(cat err.txt))"
[ -z "$(find . -maxdepth 1 -name '.parts.staging.*')" ] || fail "partition SIGTERM left $(find . -maxdepth 1 -name '.parts.staging.*')"
[ "$(find parts -type f | sort | xargs cat | cksum)" = "$before" ] || fail "partition SIGTERM changed the published parts"
echo "signal clean-up: ok"
