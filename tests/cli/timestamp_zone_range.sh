#!/usr/bin/env bash
# A field's `zone` may not move a timestamp out of the UTC years 0000-9999, a bare date included
# (docs/language.md), and the summary does not tell a field that declares a zone to declare one:
#   bash timestamp_zone_range.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() { grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }; }
expect_no_line() { ! grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: a line matches /$2/"; }; }

# Midnight of 0000-01-01 at +02:00 is -0001-12-31T22:00:00Z: unparseable, hence missing, written or bare.
cat > z.rules <<'R'
ruleset "z" version 1
schema lead { id: id  t: timestamp zone "+02:00"  u: timestamp }
schema activity { lead: id  at: timestamp zone "+02:00"  type: string }
score s {
  rule "old"  when days_since(t) > 0 points 1
  rule "seen" each activity where type == "visit" points 2
}
R
printf 'id,t,u\n1,0000-01-01,\n2,0000-01-01 00:00:00,\n3,0000-01-02,2026-01-01 10:00:00\n' > z.csv
printf 'lead,at,type\n1,0000-01-01,visit\n3,2026-10-01,visit\n' > z.events.csv
"$BIN" score z.rules --leads z.csv --activities z.events.csv --as-of 2026-11-01 --out z.out 2> z.summary
expect_line z.out '^1,0,0$' "a bare date moved before 0000 is missing, and so is its event"
expect_line z.out '^2,0,0$' "a written time moved before 0000 is missing"
expect_line z.out '^3,3,3$' "0000-01-02 at +02:00 is still inside"
expect_line z.summary '^  unparseable values \(treated as missing\): t 2: line 2 "0000-01-01", line 3 "0000-01-01 00:00:00"$' \
  "both cells of t are counted unparseable, without a hint to declare the zone t declares"
# u declares no zone: its cell only lacks one, and the hint says how to give it.
expect_line z.summary '^  unparseable values \(treated as missing\): u 1: line 4 "2026-01-01 10:00:00" \(timestamps without a zone; say which zone they are in with `zone "UTC"` on the field\)$' \
  "a field without a zone keeps the hint"
expect_line z.summary '1 without a readable time' "the event at 0000-01-01 +02:00 has no readable time"
expect_line z.summary '^  unparseable event values: at 1 \(e\.g\. "0000-01-01"\)$' \
  "the event's time is unparseable, without a hint to declare the zone it declares"
