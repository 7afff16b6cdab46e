#!/usr/bin/env bash
# The README's second command (and CI's): set up, build with warnings as errors, run every test
# (unit, command-line, golden, conformance), then the whole suite again under ASan+UBSan, then every
# fuzz target for a bounded time in all. Ends with CTest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
WITH_CLANG=1 BUILD_DIR=build CMAKE_ARGS="-DLEADSCORE_WERROR=ON -DLEADSCORE_BUILD_BENCH=ON" scripts/setup.sh

if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
  BUILD_DIR=build-asan BUILD_TYPE=Debug CMAKE_ARGS="-DLEADSCORE_WERROR=ON -DLEADSCORE_SANITIZE=ON" scripts/setup.sh
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi

if [ "${SKIP_FUZZ:-0}" != 1 ] && [ -x tests/fuzz/run.sh ]; then
  echo "== fuzzing every target (rules, CSV, leads, events, values, test and weights YAML) for ${FUZZ_SECONDS:-60} s in all"
  tests/fuzz/run.sh "${FUZZ_SECONDS:-60}"
fi

echo "== test suite (release build)"
ctest --test-dir build --output-on-failure -j "$jobs"
