#!/usr/bin/env bash
# An input truncated by another process while `score` reads it (memory-mapped, docs/reliability.md):
# exit status 1, one line naming the file, no temporary left, the previous scores untouched.
# The run is stopped (SIGSTOP) while its activities file is mapped, the file is truncated, and the
# run continued: its next read of the file is past the new end.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

cat > t.rules <<'RULES'
ruleset "t" version 1
schema lead { lead_id: id  x: int }
schema activity { lead_id: id  type: string  occurred_at: timestamp }
score interest { rule "demo" when count(activity where type == "demo" within 90d) >= 1 points 40 }
RULES
awk 'BEGIN { print "lead_id,x"; for (i = 1; i <= 1000; i++) print "L" i "," i }' > leads.csv
# 2M events (70 MB): large enough to be mapped and to take a while to read.
awk 'BEGIN { print "lead_id,type,occurred_at"; for (i = 0; i < 2000000; i++) print "L" (i % 1000 + 1) ",demo,2026-10-01T00:00:00Z" }' \
  > events.full
echo "previous scores" > scores.csv

mapped() { grep -q "/activities.csv" "/proc/$1/maps" 2> /dev/null; }
for attempt in 1 2 3; do
  cp events.full activities.csv
  "$bin" score t.rules --leads leads.csv --activities activities.csv --as-of 2026-11-01 --out scores.csv \
    --quiet 2> err.txt &
  pid=$! caught=""
  for _ in $(seq 1 2000); do
    if mapped $pid; then
      kill -STOP $pid
      # Still mapped once stopped: the reader is inside the file, so its next read is past the end.
      if mapped $pid; then truncate -s 0 activities.csv; caught=1; fi
      kill -CONT $pid
      break
    fi
    kill -0 $pid 2> /dev/null || break
    sleep 0.005
  done
  set +e
  wait $pid
  rc=$?
  set -e
  [ -n "$caught" ] || { [ $rc -eq 0 ] || fail "exit $rc before the file was truncated: $(cat err.txt)"; continue; }
  [ $rc -eq 1 ] || fail "exit $rc, expected 1 ($(cat err.txt))"
  expected="leadscore: error: activities.csv became shorter while it was read (another process truncated it or rewrote it in place); nothing was written"
  [ "$(cat err.txt)" = "$expected" ] || fail "message: $(cat err.txt)"
  [ "$(cat scores.csv)" = "previous scores" ] || fail "the previous scores changed"
  [ -z "$(find . -maxdepth 1 -name '.*.tmp.*')" ] || fail "temporaries left: $(find . -maxdepth 1 -name '.*.tmp.*')"
  echo "ok (attempt $attempt)"
  exit 0
done
fail "the run never stopped while its activities file was mapped"
