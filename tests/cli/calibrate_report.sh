#!/usr/bin/env bash
# `leadscore report`: the HTML page renders in headless Chromium with its three SVG charts, makes no
# network request, and screenshots to a non-trivial PNG. Skips (exit 0, with a reason) when neither
# Chromium nor the bank data is available and Chromium cannot be installed.
set -euo pipefail
bin=$1 repo=$2 work=$3
data=$repo/../shared/data/bank-marketing/bank-additional-full.csv
[ -f "$data" ] || { echo "skipped: $data not present"; exit 0; }
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }

"$bin" calibrate "$repo/rules/examples/bank-telemarketing.rules" --leads "$data" --delimiter ';' \
  --outcome-column y --won yes --lost no --as-of 2010-12-01 --quiet --out "$work/weights.yaml" 2> /dev/null
"$bin" report "$work/weights.yaml" --out "$work/report.html"
# Self-contained: no script, no external reference.
! grep -qi '<script' "$work/report.html" || fail "the report has a script"
! grep -Eqi '(src|href)="(https?:)?//' "$work/report.html" || fail "the report references the network"
[ "$(grep -o '<svg ' "$work/report.html" | wc -l)" -eq 3 ] || fail "expected 3 SVG charts"

chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  apt-get install -y chromium > "$work/apt.log" 2>&1 || true
  chrome=$(command -v chromium || true)
fi
[ -n "$chrome" ] || { echo "skipped: chromium is not installed and could not be installed (HTML checks passed)"; exit 0; }

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --user-data-dir="$(mktemp -d)")
timeout 60 "$chrome" "${flags[@]}" --dump-dom "file://$work/report.html" > "$work/dom.html" 2> "$work/chrome.log" ||
  fail "chromium --dump-dom failed: $(tail -3 "$work/chrome.log")"
for id in score-histogram lift-by-decile reliability; do
  grep -q "<svg id=\"$id\"" "$work/dom.html" || fail "chart $id is not in the rendered DOM"
done
grep -q 'id="diagonal"' "$work/dom.html" || fail "the reliability chart has no diagonal"
[ "$(grep -o '<rect class="bar"' "$work/dom.html" | wc -l)" -ge 40 ] || fail "too few bars rendered"
grep -q '<table id="evidence">' "$work/dom.html" || fail "no evidence table"
timeout 60 "$chrome" "${flags[@]}" --window-size=1280,1800 --screenshot="$work/report.png" "file://$work/report.html" \
  2>> "$work/chrome.log" > /dev/null || fail "chromium --screenshot failed"
size=$(stat -c %s "$work/report.png")
[ "$size" -gt 50000 ] || fail "screenshot is only $size bytes"
echo "report renders: 3 charts in the DOM, screenshot $size bytes ($work/report.png)"
