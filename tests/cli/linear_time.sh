#!/usr/bin/env bash
# Guards against quadratic time (issue 11), not a benchmark: sizes that took minutes (or never
# finished) before, with bounds loose enough for an ASan/UBSan Debug build on a busy CI machine.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
seconds() { local start end; start=$(date +%s%N); "$@"; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }

# A 200,000-line list file with 50,000 repeated entries: `score` de-duplicated it in quadratic time
# (100k lines: 8.85 s; 1M lines never finished; 200k: 212 s with that binary on a busy machine).
# Measured now: 0.6 s release, 4.8 s ASan/UBSan Debug; the bound leaves 5x over the latter.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "domain-%d.example\n", i % 150000 }' > disposable.txt
cat > big.rules <<'RULES'
ruleset "big" version 1
schema lead { lead_id: id  email: string }
list disposable = file "disposable.txt"
score s { rule "Disposable address" when domain(email) in disposable points -10 }
RULES
printf 'lead_id,email\nA,a@domain-149999.example\nB,b@gmail.com\nC,c@DOMAIN-7.example\n' > leads.csv
ms=$(seconds "$bin" score big.rules --leads leads.csv --as-of 2026-11-01 --out out.csv --quiet)
printf 'lead_id,s,score\nA,-10,-10\nB,0,0\nC,-10,-10\n' | cmp -s - out.csv || fail "200k list: $(cat out.csv)"
[ "$ms" -lt 25000 ] || fail "scoring with a 200k-line list took $ms ms (a quadratic de-duplication?)"
echo "linear time: 200k-line list scored in $ms ms"
