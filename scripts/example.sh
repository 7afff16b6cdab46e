#!/usr/bin/env bash
# The README's first command: set up, build, score the bundled B2B example and show the five hottest leads.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --target leadscore
out=build/example
mkdir -p "$out"
./build/leadscore score rules/examples/b2b-saas.rules \
  --leads rules/examples/data/b2b-saas/leads.csv \
  --activities rules/examples/data/b2b-saas/activities.csv \
  --as-of 2026-11-01T00:00:00Z --explain --top 5 \
  --out "$out/scores.csv" --rejects "$out/rejects.csv"
echo "scores: $out/scores.csv   (explain one lead: ./build/leadscore explain rules/examples/b2b-saas.rules --lead ID --leads ... --as-of ...)"
