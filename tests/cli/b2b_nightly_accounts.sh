#!/usr/bin/env bash
# gen_b2b_nightly --accounts adds exactly an account_id column at the end of leads.csv; without it
# the output is byte for byte what it was before the option existed (bench/ compares outputs).
set -euo pipefail
bin=$1 repo=$2 work=$3
gen=$(dirname "$bin")/tools/gen_b2b_nightly
[ -x "$gen" ] || { echo "FAIL: $gen not built"; exit 1; }
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"

"$gen" --leads 1000 --seed 7 --out "$work/plain" 2> /dev/null
"$gen" --leads 1000 --seed 7 --accounts --out "$work/accounts" 2> /dev/null
# Checksums of the generator before --accounts existed (main at c227c88).
echo "234707eac8a50667fe2734a04dfb47bc6719fe22c455e7fd098b49357a4253f0  $work/plain/leads.csv
c39ee587466a5738778b80c450de7d742de8211e1c2b6224b370d0be32377fcd  $work/plain/activities.csv" |
  sha256sum --check --quiet || fail "output without --accounts changed"

cmp "$work/accounts/activities.csv" "$work/plain/activities.csv" || fail "--accounts changed activities.csv"
[ "$(head -1 "$work/accounts/leads.csv")" = "$(head -1 "$work/plain/leads.csv"),account_id" ] ||
  fail "header with --accounts: $(head -1 "$work/accounts/leads.csv")"
# Dropping the last column gives the plain file back (the last cell is never quoted).
sed 's/,[^,]*$//' "$work/accounts/leads.csv" | cmp - "$work/plain/leads.csv" || fail "--accounts changed another column"

bad=$(tail -n +2 "$work/accounts/leads.csv" | awk -F, '{ print $NF }' | grep -Evc '^(A[0-9]{8})?$' || true)
[ "$bad" -eq 0 ] || fail "$bad account_id values that are not A + 8 digits or empty"
read -r empty with ids biggest < <(tail -n +2 "$work/accounts/leads.csv" | awk -F, '
  $NF == "" { e++; next } { w++; if (!c[$NF]++) n++; if (c[$NF] > m) m = c[$NF] }
  END { print e + 0, w + 0, n + 0, m + 0 }')
[ "$empty" -ge 50 ] && [ "$empty" -le 110 ] || fail "$empty of 1000 leads without an account, expected ~8%"
# About 5 leads per account, and not all accounts the same size.
[ $((with * 10)) -ge $((ids * 40)) ] && [ $((with * 10)) -le $((ids * 65)) ] ||
  fail "$with leads in $ids accounts, expected about 5 per account"
[ "$biggest" -ge 10 ] || fail "the biggest account has $biggest leads, expected a few big accounts"
echo "gen_b2b_nightly --accounts: $empty leads without an account, $with in $ids accounts (largest $biggest)"
