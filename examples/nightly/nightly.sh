#!/usr/bin/env bash
# One nightly scoring run, as a cron entry or a CI schedule calls it:
#   15 2 * * *  /opt/leadscore/examples/nightly/nightly.sh
# It scores tonight's CRM export against last night's published scores, keeps both, and hands the
# changed leads to the CRM upload. Exit status: leadscore's (4 = refused, yesterday's file kept).
set -euo pipefail
RULES=${RULES:-rules/acme.rules}
EXPORT=${EXPORT:-exports}           # tonight's leads.csv and activities.csv land here
PUBLISH=${PUBLISH:-published}       # scores.csv (what the CRM reads) and the history
AS_OF=${AS_OF:-$(date -u +%Y-%m-%dT00:00:00Z)}
LEADSCORE=${LEADSCORE:-leadscore}
mkdir -p "$PUBLISH/history"
[ -f "$PUBLISH/scores.csv" ] || : > "$PUBLISH/scores.csv"   # the first night: every lead is new

# Tonight's scores go to a new file; last night's scores.csv is the --previous. Nothing is replaced
# unless every output is complete and no guard refused the run.
status=0
"$LEADSCORE" score "$RULES" --leads "$EXPORT/leads.csv" --activities "$EXPORT/activities.csv" --as-of "$AS_OF" \
  --previous "$PUBLISH/scores.csv" --out "$PUBLISH/tonight.csv" --changes-out "$PUBLISH/changes.csv" \
  --rejects "$PUBLISH/rejects.csv" --min-change 5 --keep "${KEEP:-crm_id}" --stamp version,hash,scored_at \
  --max-staleness "${MAX_STALENESS:-2d}" --explain --reasons-max 3 --spreadsheet-safe off ${EXTRA_OPTIONS:-} 2> "$PUBLISH/summary.txt" || status=$?
cat "$PUBLISH/summary.txt" >&2
if [ "$status" -ne 0 ]; then
  echo "nightly: leadscore exited $status; scores.csv is last night's, nothing uploaded" >&2
  exit "$status"
fi
cp "$PUBLISH/scores.csv" "$PUBLISH/history/scores-before-${AS_OF%%T*}.csv"
mv "$PUBLISH/tonight.csv" "$PUBLISH/scores.csv"
# The CRM upload: only the changed, new and gone leads (a few hundred rows instead of the whole base).
if [ -n "${UPLOAD:-}" ]; then "$UPLOAD" "$PUBLISH/changes.csv"; fi
