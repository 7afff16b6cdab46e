#!/usr/bin/env bash
# Accounts (issue 15) from the command line: score --accounts --accounts-out, the summary's accounts
# figures, explain --account, rule tests with several leads of one account, and the refusals (a
# missing accounts file, an accounts file the rules cannot read, an output over an input). Every
# number is worked out in the comments.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
has() {  # has FILE LINE: FILE holds exactly that line
  grep -qxF -- "$2" "$1" || { echo "--- $1"; cat "$1"; fail "$1 lacks the line: $2"; }
}
status() {  # status EXPECTED COMMAND...: runs COMMAND, checks its exit status
  local want=$1; shift
  set +e; "$@" > out.txt 2> err.txt; local got=$?; set -e
  [[ $got == "$want" ]] || { cat out.txt err.txt; fail "exit status $got, expected $want: $*"; }
}
cat > a.rules <<'RULES'
ruleset "abm-cli" version 1
schema lead { lead_id: id  email: string  account_id: string  department: string }
schema activity { lead_id: id  type: string  occurred_at: timestamp }
schema account { account_id: id  country: string  annual_revenue: number }
account key account_id
score interest max 100 {
  rule "Demo"    when exists(activity where type == "demo_request" within 30d) points 40
  rule "Pricing" each activity where type == "pricing_view" within 30d points 10 max 30
}
account score engagement max 100 {
  rule "3+ engaged"        when count(leads where interest >= 20) >= 3 points 40
  rule "Buying group"      when distinct(department of leads where interest > 0) >= 2 points 20
  rule "Each engaged lead" each lead where interest > 0 points 5 max 20
  rule "Top interest"      when top(2, interest of leads) >= 60 points 10
}
account score fit max 100 {
  rule "ICP country" when country in ["US", "GB"] points 30
  rule "$10M+"       when annual_revenue >= 10M points 30
}
mqa when engagement >= 40 and fit >= 30
mql when interest >= 40 or (account.mqa and interest >= 10)
RULES
printf 'lead_id,email,account_id,department\nL1,a@acme.com,A1,Engineering\nL2,b@acme.com,A1,Finance\nL3,c@acme.com,A1,Engineering\nL4,d@beta.com,A2,IT\nL5,e@gmail.com,,Sales\nL6,f@zeta.com,A9,IT\n' > leads.csv
printf 'lead_id,type,occurred_at\nL1,demo_request,2026-10-20T00:00:00Z\nL2,pricing_view,2026-10-20T00:00:00Z\nL2,pricing_view,2026-10-21T00:00:00Z\nL3,pricing_view,2026-10-21T00:00:00Z\nL4,demo_request,2026-10-21T00:00:00Z\n' > activities.csv
printf 'account_id,country,annual_revenue\nA1,US,50000000\nA2,DE,1000000\nA1,GB,1\n' > accounts.csv
run=(--leads leads.csv --activities activities.csv --accounts accounts.csv --as-of 2026-11-01T00:00:00Z)

status 0 "$bin" score a.rules "${run[@]}" --out scores.csv --accounts-out accounts-out.csv
# A1: interest 40, 20, 10. engagement: 2 leads >= 20 (no 3+); departments Engineering, Finance (+20);
# 3 engaged leads x 5 = 15; top two 40 + 20 = 60 (+10): 45. fit: US +30, $50M +30 = 60. mqa: yes, so
# L2 and L3 are MQLs through it. A2: one engaged lead: 5; DE, $1M: 0. L5 has no key (alone); A9 is not
# in the accounts file (fields missing).
has scores.csv "lead_id,account,interest,account.engagement,account.fit,score,mql,mqa"
has scores.csv "L1,A1,40,45,60,40,true,true"
has scores.csv "L2,A1,20,45,60,20,true,true"
has scores.csv "L3,A1,10,45,60,10,true,true"
has scores.csv "L4,A2,40,5,0,40,true,false"
has scores.csv "L5,,0,0,0,0,false,false"
has scores.csv "L6,A9,0,0,0,0,false,false"
has accounts-out.csv "account,leads,in_accounts_file,account.engagement,account.fit,mqa,top_leads,reasons"
has accounts-out.csv "A1,3,true,45,60,true,\"L1 (40, mql); L2 (20, mql); L3 (10, mql)\",'+30 ICP country; +30 \$10M+; +20 Buying group; +15 Each engaged lead; +10 Top interest"
has accounts-out.csv "A2,1,true,5,0,false,\"L4 (40, mql)\",'+5 Each engaged lead"
has accounts-out.csv "A9,1,false,0,0,false,L6 (0),"
[[ $(wc -l < accounts-out.csv) == 4 ]] || fail "accounts-out has $(wc -l < accounts-out.csv) lines, expected 4"
has err.txt "accounts: 3 accounts of 5 leads; 1 lead stands alone (1 without a key, 0 excepted or free-mail); mqa: 1 of 3 accounts"
has err.txt "  accounts file: 3 rows read, 1 rejected; 1 account of the leads not in it, 0 of its accounts without a lead"
has err.txt "    line 4: duplicate account id \"A1\" (first on line 2)"

# explain --account agrees with the accounts file row, and names what each lead fed each aggregate.
status 0 "$bin" explain a.rules --account A1 "${run[@]}"
has out.txt "account A1 (3 leads, in the accounts file) as of 2026-11-01T00:00:00Z"
has out.txt "account.engagement = 45  (max 100)"
has out.txt "account.fit = 60  (max 100)"
has out.txt "mqa = true   (account.engagement = 45 >= 40) and (account.fit = 60 >= 30)  ->  true"
has out.txt "  L3  score 10, mql"
has out.txt "      count(leads where interest >= 20): not counted"
status 1 "$bin" explain a.rules --account A7 "${run[@]}"
has err.txt "leadscore explain: account \"A7\" has no lead in leads.csv"
status 2 "$bin" explain a.rules --account A1 --lead L1 "${run[@]}"

# Rule tests: one case is one account with three leads; the same lead alone is not an MQA.
cat > a.test.yaml <<'YAML'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: three leads of one account
    account: {account_id: A1, country: US, annual_revenue: 50000000}
    lead: {lead_id: L3, account_id: A1, department: Engineering}
    events: [{type: pricing_view, occurred_at: -1d}]
    account_leads:
      - lead: {lead_id: L1, account_id: A1, department: Engineering}
        events: [{type: demo_request, occurred_at: -3d}]
      - lead: {lead_id: L2, account_id: A1, department: Finance}
        events: [{type: pricing_view, occurred_at: -2d}, {type: pricing_view, occurred_at: -1d}]
    expect: {interest: 10, account.engagement: 45, account.fit: 60, mqa: true, mql: true}
YAML
status 0 "$bin" test a.rules --cases a.test.yaml
sed -e 's/  - name: three leads of one account/  - name: alone/' -e '/account_leads:/,/pricing_view, occurred_at: -1d}]$/d' a.test.yaml > alone.test.yaml
status 1 "$bin" test a.rules --cases alone.test.yaml
grep -qF "account.engagement: expected 45, got 5" out.txt || { cat out.txt; fail "the lone lead's failure is not reported"; }

# Refusals.
status 1 "$bin" score a.rules --leads leads.csv --activities activities.csv --as-of 2026-11-01 --out x.csv
has err.txt "leadscore score: a.rules declares \`schema account\`: give the accounts file with --accounts FILE"
printf 'ruleset "n" version 1\nschema lead { lead_id: id  account_id: string }\naccount key account_id\naccount score n { rule "2+" when count(leads) >= 2 points 1 }\n' > no-schema.rules
status 1 "$bin" score no-schema.rules "${run[@]}" --out x.csv
has err.txt "leadscore score: --accounts accounts.csv: no-schema.rules has no \`schema account\` to read it with"
status 1 "$bin" score a.rules "${run[@]}" --out x.csv --accounts-out accounts.csv
grep -qF "accounts.csv" err.txt || fail "an --accounts-out over the accounts file is not refused"
has accounts.csv "A1,US,50000000"
[[ ! -e x.csv ]] || fail "a refused run wrote its output"
# partition: the account key decides the part, so scoring the parts gives the single run's rows.
printf 'account_id,country,annual_revenue\nA1,US,50000000\nA2,DE,1000000\n' > clean-accounts.csv
status 0 "$bin" partition a.rules --leads leads.csv --activities activities.csv --accounts clean-accounts.csv --parts 3 --out parts
for p in parts/part-*; do
  status 0 "$bin" score a.rules --leads "$p/leads.csv" --activities "$p/activities.csv" --accounts "$p/accounts.csv" \
    --as-of 2026-11-01T00:00:00Z --out "$p/out.csv"
done
status 0 "$bin" score a.rules --leads leads.csv --activities activities.csv --accounts clean-accounts.csv \
  --as-of 2026-11-01T00:00:00Z --out single.csv
cat parts/part-*/out.csv | grep -v '^lead_id,' | sort > joined.txt
tail -n +2 single.csv | sort > single.txt
cmp -s joined.txt single.txt || { diff single.txt joined.txt; fail "the parts' rows differ from the single run's"; }
for a in A1 A2; do  # each account's leads sit in one part
  [[ $(grep -l ",$a," parts/part-*/leads.csv | wc -l) == 1 ]] || fail "the leads of $a are in more than one part"
done
echo "accounts: ok"
