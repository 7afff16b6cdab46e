#!/usr/bin/env bash
# The abm example data holds what account-based scoring must cope with (issue 15): duplicate account
# rows, leads without an account, leads of accounts that are not in accounts.csv.
set -euo pipefail
bin=$1 repo=$2 work=$3
data=$repo/rules/examples/data/abm
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"

[ "$(head -1 "$data/accounts.csv")" = "account_id,name,domain,country,industry,employees,annual_revenue,is_agency" ] ||
  fail "accounts.csv header: $(head -1 "$data/accounts.csv")"
[ "$(head -1 "$data/leads.csv")" = "lead_id,email,account_id,first_name,title,department,country,industry,employees,annual_revenue,created_at" ] ||
  fail "leads.csv header: $(head -1 "$data/leads.csv")"
[ "$(head -1 "$data/activities.csv")" = "lead_id,type,occurred_at,url" ] || fail "activities.csv header"
[ "$(head -1 "$data/outcomes.csv")" = "account_id,outcome,closed_at" ] || fail "outcomes.csv header"

# account_id is the first column of accounts.csv and the third of leads.csv; no cell before it is quoted.
tail -n +2 "$data/accounts.csv" | cut -d, -f1 | sort > "$work/account_rows"
sort -u "$work/account_rows" > "$work/accounts"
accounts=$(wc -l < "$work/accounts")
[ "$accounts" -ge 1800 ] && [ "$accounts" -le 2200 ] || fail "$accounts accounts, expected 1800..2200"
repeated=$(uniq -d "$work/account_rows" | wc -l)
[ "$repeated" -ge 3 ] && [ "$repeated" -le 4 ] || fail "$repeated repeated account ids, expected 3 or 4"
# Each repeat comes late in the file, after the row that wins.
first_dup_line=$(awk -F, 'NR > 1 { if (seen[$1]++) { print NR; exit } }' "$data/accounts.csv")
[ "$first_dup_line" -gt 1500 ] || fail "the first repeated account id is on line $first_dup_line, expected late in the file"

leads=$(($(wc -l < "$data/leads.csv") - 1))
without=$(tail -n +2 "$data/leads.csv" | cut -d, -f3 | grep -c '^$' || true)
[ $((without * 100)) -ge $((leads * 8)) ] && [ $((without * 100)) -le $((leads * 12)) ] ||
  fail "$without of $leads leads without an account_id, expected 8%..12%"
tail -n +2 "$data/leads.csv" | cut -d, -f3 | grep -v '^$' | sort -u > "$work/lead_accounts"
unknown=$(awk -F, 'NR == FNR { known[$1] = 1; next } FNR > 1 && $3 != "" && !($3 in known) { n++ } END { print n + 0 }' \
  "$work/accounts" "$data/leads.csv")
[ "$unknown" -ge 1 ] || fail "no lead points at an account that is not in accounts.csv"
# Every account has a lead.
[ "$(comm -13 "$work/lead_accounts" "$work/accounts" | wc -l)" -eq 0 ] || fail "an account without leads"

outcomes=$(($(wc -l < "$data/outcomes.csv") - 1))
[ "$outcomes" -ge $((accounts * 30 / 100)) ] && [ "$outcomes" -le $((accounts * 50 / 100)) ] ||
  fail "$outcomes outcome rows for $accounts accounts, expected 30%..50%"
[ "$(tail -n +2 "$data/outcomes.csv" | cut -d, -f2 | sort -u | tr '\n' ' ')" = "lost won " ] || fail "outcomes other than won/lost"
echo "abm data: $accounts accounts ($repeated repeated), $leads leads ($without without an account, $unknown of unknown accounts), $outcomes outcomes"
