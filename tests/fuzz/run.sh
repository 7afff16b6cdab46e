#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz and runs them one after another.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     fuzz; SECONDS (default 60) is split evenly between the
#                                               targets (all fuzz_*.cpp here by default)
#   tests/fuzz/run.sh --merge [TARGET...]       add the inputs of past runs that reach new code to the
#                                               seed corpus in git (libFuzzer -merge=1)
# CI runs `run.sh 60`; `run.sh 3600 leads` fuzzes the leads loader for an hour. FUZZ_FLAGS adds libFuzzer
# flags (e.g. FUZZ_FLAGS=-runs=100000). Inputs found are kept in build-fuzz/fuzz-corpus/TARGET for the
# next run; a crash or failed oracle is saved in tests/fuzz/regressions/TARGET/, which the
# fuzz_regressions.TARGET test replays in every build. Exits 1 when any target failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
fuzz="$root/tests/fuzz"
build="$root/build-fuzz"

merge=0
if [ "${1:-}" = --merge ]; then
  merge=1
  shift
  seconds=0
else
  seconds="${1:-60}"
  [ $# -gt 0 ] && shift
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in "$fuzz"/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    targets+=("${name#fuzz_}")
  done
fi
for t in "${targets[@]}"; do
  [ -f "$fuzz/fuzz_$t.cpp" ] || { echo "run.sh: no fuzz target $t (tests/fuzz/fuzz_$t.cpp)" >&2; exit 2; }
done

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DLEADSCORE_BUILD_FUZZ=ON -DLEADSCORE_BUILD_TESTS=OFF >/dev/null
ninja -C "$build" -j2 "${targets[@]/#/fuzz_}"

# The largest input worth trying per target: a cell is short, files need room for structure.
max_len() {
  case $1 in
    value_parse) echo 256 ;;
    csv_reader | leads) echo 8192 ;;
    *) echo 65536 ;;
  esac
}

per_target=$((seconds / ${#targets[@]}))
[ "$merge" = 1 ] || [ "$per_target" -ge 1 ] || per_target=1
failed=()
cd "$build"
for t in "${targets[@]}"; do
  work="$build/fuzz-corpus/$t"
  mkdir -p "$work" "$fuzz/regressions/$t"
  dict=()
  [ -f "$fuzz/dict/$t.dict" ] && dict=(-dict="$fuzz/dict/$t.dict")
  if [ "$merge" = 1 ]; then
    echo "== merging build-fuzz/fuzz-corpus/$t into tests/fuzz/corpus/$t"
    "$build/tests/fuzz/fuzz_$t" -merge=1 -max_len="$(max_len "$t")" "$fuzz/corpus/$t" "$work" ||
      failed+=("$t")
    continue
  fi
  echo "== fuzzing $t for $per_target s"
  # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
  "$build/tests/fuzz/fuzz_$t" "$work" "$fuzz/corpus/$t" "${dict[@]}" \
    -max_total_time="$per_target" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$fuzz/regressions/$t/" -print_final_stats=1 ${FUZZ_FLAGS:-} || failed+=("$t")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "run.sh: failed: ${failed[*]} (inputs in tests/fuzz/regressions/)" >&2
  exit 1
fi
