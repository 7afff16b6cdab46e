#!/usr/bin/env bash
# A week of nightly runs on the b2b-saas example data, as docs/nightly.md walks it: each night the
# CRM export holds the leads created before that night, and nightly.sh scores them against the
# night before. Usage: examples/nightly/week.sh WORK_DIR (LEADSCORE=path/to/leadscore).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:?usage: week.sh WORK_DIR}
data=$repo/rules/examples/data/b2b-saas
mkdir -p "$work/exports"
export RULES=$repo/rules/examples/b2b-saas.rules EXPORT=$work/exports PUBLISH=$work/published KEEP=email
for day in 2026-10-27 2026-10-28 2026-10-29 2026-10-30 2026-10-31 2026-11-01 2026-11-02; do
  awk -F, -v day="$day" 'NR == 1 || $NF < day' "$data/leads.csv" > "$work/exports/leads.csv"
  cp "$data/activities.csv" "$work/exports/activities.csv"
  echo "== night of $day" >&2
  AS_OF=${day}T00:00:00Z "$here/nightly.sh" || exit $?
  echo "   changes.csv: $(($(wc -l < "$work/published/changes.csv") - 1)) rows to upload" >&2
done
