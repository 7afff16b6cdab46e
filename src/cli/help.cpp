#include "cli/help.hpp"

#include <map>

namespace leadscore::cli {

namespace {

const std::map<std::string, std::string>& topics() {
  static const std::map<std::string, std::string> table = {
      {"check", R"(usage: leadscore check [--format text|json|github] [--warnings-as-errors] RULES...

Compiles each rules file and reports every problem found as
  PATH:LINE:COL: error: MESSAGE
with the source line and a caret under the column (warnings the same way).

  --format text     GCC-style diagnostics (default)
  --format json     one JSON array of {file,line,column,severity,message,hint}
  --format github   GitHub Actions annotations (::error file=...,line=...,col=...::...)
  --warnings-as-errors   exit 1 when there is any warning

Exit status: 0 every file compiles (warnings allowed), 1 some file has an error, 2 usage error.
)"},
      {"score", R"(usage: leadscore score RULES --leads FILE [--activities FILE] --as-of INSTANT --out FILE
                       [--rejects FILE] [--delimiter C] [--format csv|jsonl] [--explain]
                       [--threads N] [--top N] [--spreadsheet-safe on|off] [--allow-other-ruleset] [--quiet]

Scores every lead of FILE as of INSTANT (2026-11-01T00:00:00Z, or a date for midnight UTC) and
writes one row per lead, in input order: the id, each score section, score, each gate, mql,
each classify. The output is written to a temporary file and renamed into place when complete.

  --activities FILE  activity events (any order); events of unknown leads are counted and ignored
  --rejects FILE     rows that cannot be leads: line, reason, raw record (CSV)
  --delimiter C      input delimiter: ',' (default), ';', '|' or 'tab'
  --format jsonl     one JSON object per lead instead of CSV
  --explain          add a `reasons` column: "+40 Demo request; -10 Free-mail address; x1.2 Core vertical"
  --threads N        evaluate with N threads (default 1)
  --top N            list the N highest-scoring leads with their reasons in the summary
  --spreadsheet-safe on|off   on (default): CSV text cells (id, classify, reasons, rejects) that
                     a spreadsheet would run as a formula (=, +, -, @ ...) start with ' ; off: raw
  --allow-other-ruleset   apply the rules' calibration weights even when they were calibrated
                     for another ruleset (rules hash): a warning instead of an error
  --quiet            no summary on stderr

Leads and activities may be `-` (standard input) or a pipe; they are then read into memory once.

A summary goes to stderr: rows read = scored + rejected, unparseable values per column, MQL
count, the count of each classify value, the ruleset's name, version and content hash.
Exit status: 0 success; 1 the rules do not compile, a file cannot be read or written, or a
required column is missing from a header; 2 usage error.
)"},
      {"diff", R"(usage: leadscore diff OLD NEW --leads FILE [--activities FILE] --as-of INSTANT [--delimiter C]
                      [--format text|markdown|json|github] [--fail-if 'METRIC OP VALUE[%]']... [--top N]
                      [--allow-other-ruleset]

Scores the same leads with two rule sets and reports what the change does: each ruleset's name,
version and hash; rules, multipliers and gate criteria added, removed or changed (by label);
MQL flips in and out; the transition matrix of every classify in both; the score distribution
before and after (min, p10, p25, median, p75, p90, max, mean); the top N movers (default 10)
with the reasons that stopped and started applying.

OLD and NEW are rules files or git:REF:PATH (PATH as `git show REF:PATH` reads it, run in the
current directory; the whole directory of PATH at REF is extracted, so list files come from REF).
  --format markdown  tables to paste as a pull-request comment
  --format json      one JSON object for tools
  --format github    the text report plus GitHub Actions annotations
  --fail-if EXPR     exit 3 when EXPR holds; metrics: mql_flips, mql_in, mql_out, moved (a count,
                     or with % a share of the leads compared), score_mean_change (|mean change|,
                     points); operators > >= < <=. Repeatable. e.g. --fail-if 'mql_flips > 5%'
  --allow-other-ruleset   apply calibration weights calibrated for another ruleset (a warning)

Exit status: 0 ok; 1 error (a ruleset does not compile, a file or git reference cannot be read,
a side cannot score the data); 2 usage error; 3 a --fail-if threshold was exceeded.
)"},
      {"explain", R"(usage: leadscore explain RULES --lead ID --leads FILE [--activities FILE] --as-of INSTANT
                         [--delimiter C] [--format text|json] [--allow-other-ruleset]

A readable account of one lead: every section with each rule, fired or not, and the values
that decided it (employees = 12000 >= 5000  ->  +20), multipliers, clamps, each gate criterion,
the MQL decision and the classify branch taken. The numbers are always those `score` writes.
Exit status: 0 success; 1 the lead is not in the file or an input problem; 2 usage error.
)"},
      {"test", R"(usage: leadscore test RULES... [--cases FILE_OR_DIR] [--format text|github]

Runs the rule unit tests of each rules file: YAML cases, each a lead (field -> value), its
activity events (times may be relative to the case's as_of: -3d, -4h, -2w, -30d1h) and the
outputs expected (section values, score, gates, mql, classify values, reasons, fired and
not_fired rule labels). Each case is scored through the same path as `score`; numbers compare
after the output's 2-decimal rounding. See docs/rule-tests.md for the format.

By default the tests of acme.rules are in acme.test.yaml beside it.
  --cases FILE      use FILE for every rules file given
  --cases DIR       use DIR/NAME.test.yaml for NAME.rules
  --format github   also print GitHub Actions annotations (::error file=...,line=...,col=...::...)

A failing case prints each expectation that failed as FILE:LINE:COL of the expectation with
expected and actual values, then the lead's explanation. The last line is `N passed, M failed`.
Exit status: 0 every case passed; 1 a case failed, or a rules or test file has an error; 2 usage error.
)"},
      {"fmt", R"(usage: leadscore fmt [--check] [--stdout] RULES...

Rewrites each rules file in the one canonical layout: two-space indentation, score items in
aligned columns (label, condition, points), schema fields, list/let `=`, gate labels and
classify values aligned, one space around operators, only the parentheses needed (plus those
around an `and` inside an `or`). Comments and the blank lines between declarations are kept;
numbers and durations are kept as written. The result always parses to the same rules, and
formatting twice changes nothing. Files are replaced atomically. See docs/formatting.md.

  --check    change nothing; list the files that are not formatted with an excerpt of the change
  --stdout   print the formatted text instead of rewriting the file

A file with syntax errors is reported with its diagnostics and left untouched.
Exit status: 0 every file is (now) formatted; 1 a file is not formatted (--check), has syntax
errors or cannot be written; 2 usage error.
)"},
      {"calibrate", R"(usage: leadscore calibrate RULES --leads FILE [--activities FILE] [--delimiter C]
                           (--outcomes FILE [--outcome-columns lead_id=H,outcome=H,closed_at=H,amount=H]
                            | --outcome-column C [--amount-column C]) [--won V,...] [--lost V,...]
                           (--as-of INSTANT | --cutoff-field FIELD [--cutoff-delay 14d])
                           --out WEIGHTS.yaml [--method logistic|loglift] [--test-fraction 0.3]
                           [--min-support 30] [--pdo 20] [--l2 1] [--time-field FIELD]
                           [--source-field FIELD] [--won-value N]
                           [--refit-every N [--refit-window W] [--curve-window C]] [--quiet]

Compares the close rate of the leads each rule matches with the base close rate (Wilson 95%
interval), fits points from outcomes and writes them, with the evidence, to a YAML weights file.
The rules file is never changed: declare `calibration "WEIGHTS.yaml"` in it to score with them.

  --outcomes FILE      CSV of lead_id, outcome, closed_at, amount joined by lead id; rename headers
                       with --outcome-columns (closed_at drops leads that closed before their cutoff)
  --outcome-column C   the outcome is column C of the leads file (e.g. --outcome-column y)
  --won V,... --lost V,...   outcome values (default won / lost); any other value is open: left out
  --as-of INSTANT      evaluate every lead at one instant
  --cutoff-field F     evaluate each lead as of its own date field F plus --cutoff-delay (0 default):
                       events after that instant never count
  --method logistic    L2 logistic regression on the rule indicators (default; correlated rules
                       share credit); loglift: each rule's shrunk log-odds against the base rate
  --test-fraction F    the newest F of closed leads (by --time-field, the cutoff, else row order)
                       are held out for the backtest: written vs calibrated points
  --refit-every N      also a walk-forward backtest: the held-out leads are scored N at a time in
                       time order; before each chunk the points and the p_close curves (written and
                       calibrated alike) are refitted on closed leads strictly older than the chunk
  --refit-window W     refit on the W most recent older closed leads only (default: all of them);
                       the final weights are then fitted on the W most recent closed leads too
  --curve-window C     fit the p_close curves on the C most recent (default: as --refit-window).
                       Recommended: --refit-every 500 --refit-window 5000 --curve-window 1000
  --min-support N      rules matching fewer closed leads keep their written points (flagged)
  --pdo P              points that double the odds of closing (default 20)
  --source-field F     average revenue per won lead per value of F, for expected_value
  --won-value N        revenue of a won lead without an amount

Exit status: 0 written; 1 the rules do not compile, an input problem, or no won or no lost leads;
2 usage error. Method and limits: docs/calibration.md.
)"},
      {"report", R"(usage: leadscore report WEIGHTS.yaml --out REPORT.html

One self-contained HTML page (inline CSS and SVG, no script, no network) from a weights file:
backtest metrics, score histogram, lift by decile, reliability curve and per-rule evidence.
Exit status: 0 written, 1 unreadable weights file or output, 2 usage error.
)"},
      {"compile", R"(usage: leadscore compile RULES [--print-graph] [--format text|dot]

Compiles the rules and prints the evaluation graph: every node once (identical subexpressions
are shared, constants folded), the activity aggregates planned into accumulator slots, and the
sections, gates and classifies that read them. --format dot prints Graphviz.
Exit status: 0 success, 1 the rules do not compile, 2 usage error.
)"},
  };
  return table;
}

}  // namespace

std::string command_list() {
  std::string out;
  for (const auto& [name, text] : topics()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string help_text(const std::string& topic) {
  if (topic.empty())
    return R"(leadscore: lead scoring from a rules file marketing and sales agree on

usage: leadscore COMMAND [ARGS]

commands:
  check     compile rules files and report errors with file:line:col
  fmt       rewrite rules files in the canonical layout (--check for CI)
  score     score a leads export (plus activity events) and write one row per lead
  explain   show how one lead's score was reached, rule by rule
  compile   print the evaluation graph of a rules file
  calibrate fit rule points to won/lost outcomes and backtest them (weights file)
  report    HTML report of a weights file's backtest and evidence
  test      run the rule unit tests of rules files (NAME.test.yaml)
  diff      compare two rule sets on the same leads (MQL flips, transitions, movers)

  leadscore help COMMAND    usage of one command
  leadscore --version       version and the git commit it was built from

Docs: docs/language.md (the rules language), docs/cli.md (commands and exit codes).
)";
  auto it = topics().find(topic);
  return it == topics().end() ? std::string{} : it->second;
}

}  // namespace leadscore::cli
