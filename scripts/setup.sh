#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks (as root) and builds leadscore into build/.
#   BUILD_DIR=build CMAKE_ARGS="..." scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(build-essential cmake ninja-build git pkg-config tao-pegtl-dev libyaml-cpp-dev libfmt-dev doctest-dev
          libbenchmark-dev libfast-float-dev nlohmann-json3-dev python3-jsonschema
          python3-distributed)
[ "${WITH_CLANG:-0}" = 1 ] && packages+=(clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
build=${BUILD_DIR:-build}
# shellcheck disable=SC2086
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(nproc)" "$@"
