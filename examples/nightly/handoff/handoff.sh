#!/usr/bin/env bash
# Measuring the hand-off, as docs/nightly.md ("Measuring the hand-off") walks it: the b2b-saas example
# scored with a handoff block, then the sales team's dispositions and the won/lost outcomes read back.
# Usage: examples/nightly/handoff/handoff.sh WORK_DIR [FORMAT] (LEADSCORE=path/to/leadscore).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=${1:?usage: handoff.sh WORK_DIR [text|json|html]}
format=${2:-text}
mkdir -p "$work" && work=$(cd "$work" && pwd)
LEADSCORE=${LEADSCORE:-leadscore}
case $LEADSCORE in */*) LEADSCORE=$(cd "$(dirname "$LEADSCORE")" && pwd)/$(basename "$LEADSCORE") ;; esac
cd "$repo"   # messages name the example's files as examples/nightly/handoff/...
data=rules/examples/data/b2b-saas
cp -R "$repo/rules/examples/lists" "$work/"   # the rules name their list files relative to themselves
cat "$repo/rules/examples/b2b-saas.rules" "$here/handoff-block.rules" > "$work/b2b-saas-handoff.rules"
# Monday's nightly run (every MQL enters its route at the run's as-of); industry is kept as the source.
"$LEADSCORE" score "$work/b2b-saas-handoff.rules" --leads "$data/leads.csv" --activities "$data/activities.csv" \
  --as-of 2026-11-02T00:00:00Z --keep industry --out "$work/scores.csv" 2> "$work/score-summary.txt"
# A week later: what sales did with them (CRM export) and which closed.
"$LEADSCORE" handoff "$work/b2b-saas-handoff.rules" --scored "$work/scores.csv" \
  --dispositions examples/nightly/handoff/dispositions.csv --outcomes examples/nightly/handoff/outcomes.csv --source-field industry \
  --as-of 2026-11-09T00:00:00Z --format "$format" ${EXTRA_OPTIONS:-}
