#!/usr/bin/env bash
# Builds the rules-file fuzzer with clang into build-fuzz and runs it for SECONDS (default 60).
# Crashes land in tests/fuzz/regressions/ so the fuzz_regressions test replays them in every build.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build-fuzz"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DLEADSCORE_BUILD_FUZZ=ON -DLEADSCORE_BUILD_TESTS=OFF >/dev/null
ninja -C "$build" -j2 fuzz_rules
work="$build/fuzz-corpus"
# git keeps no empty folder: regressions/ exists only once a crash was kept.
mkdir -p "$work" "$root/tests/fuzz/regressions"
cd "$build"
"$build/tests/fuzz/fuzz_rules" "$work" "$root/tests/fuzz/corpus" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$root/tests/fuzz/regressions/" -print_final_stats=1
