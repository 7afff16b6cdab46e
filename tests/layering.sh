#!/usr/bin/env bash
# Fails when a source file includes a folder above its own layer (an include edge that runs upwards).
#   tests/layering.sh [SOURCE_DIR]
# Each line of LAYERS: a folder under src/, then the project folders its files may include (besides
# their own). Folders are matched longest first, so src/engine/exec/ is "engine/exec", not "engine".
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root/src"

LAYERS='
common:
io: common
parser: common grammar
format: parser common grammar
engine/check: parser common io grammar
engine/lint: engine/check format parser common io grammar
engine/plan: engine/check parser common io
engine/exec: engine/plan engine/check parser common io
engine/load: engine/exec engine/plan engine/check parser common io
calibrate: common io
jobs: engine/load engine/exec engine/plan engine/check engine/lint calibrate format parser common io
cli: jobs engine/load engine/exec engine/plan engine/check engine/lint calibrate format parser common io build_info.hpp
'

declare -A allowed
folders=()
while IFS=: read -r folder deps; do
  [ -z "$folder" ] && continue
  allowed[$folder]="$folder $deps"
  folders+=("$folder")
done <<<"$LAYERS"

# The layer a path (relative to src/) belongs to: the longest folder of LAYERS it lies in.
layer_of() {
  local path=$1 best=""
  for f in "${folders[@]}"; do
    if [[ $path == "$f" || $path == "$f/"* ]] && [ ${#f} -gt ${#best} ]; then best=$f; fi
  done
  echo "$best"
}

status=0
while IFS= read -r file; do
  from=$(layer_of "$file")
  if [ -z "$from" ]; then
    echo "layering: $file is in no layer; add its folder to tests/layering.sh"
    status=1
    continue
  fi
  while IFS= read -r target; do
    to=$(layer_of "$target")
    [ -z "$to" ] && to=${target%%/*}
    ok=0
    for a in ${allowed[$from]}; do [ "$a" = "$to" ] && ok=1; done
    if [ $ok = 0 ]; then
      echo "layering: $file ($from) includes \"$target\" ($to), which $from may not use"
      status=1
    fi
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
done < <(find . -name '*.hpp' -o -name '*.cpp' | sed 's#^\./##' | sort)

if [ $status = 0 ]; then echo "layering: every include runs downwards"; fi
exit $status
