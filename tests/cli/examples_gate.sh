#!/usr/bin/env bash
# What a rules repository's CI runs, applied to our own examples: formatted, lint-clean, tests pass.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cd "$repo"
"$bin" fmt --check rules/examples/*.rules bench/*.rules
"$bin" check --warnings-as-errors rules/examples/*.rules bench/*.rules
"$bin" test rules/examples/*.rules | tee "$work/test.txt"
grep -Eq '^[0-9]+ passed, 0 failed$' "$work/test.txt"
echo "examples: formatted, no warnings, rule tests pass"
