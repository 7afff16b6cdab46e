#pragma once
// Rule unit tests: YAML cases (a lead, its events, the expected outputs) run through the same
// load/aggregate/evaluate path as `leadscore score`. The format is documented in docs/rule-tests.md.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/temp_dir.hpp"
#include "engine/check/program.hpp"
#include "engine/exec/outcome.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

// "-3d", "+4h", "-2w", "-30d1h", "-90s", "0d": an offset from a case's as-of instant, in microseconds.
// Units: s, m (minutes), h, d, w. Returns nullopt when `text` is not of that shape, or when the offset is
// beyond 100 years (then `beyond_range`, when given, is set).
std::optional<std::int64_t> parse_relative_time(std::string_view text, bool* beyond_range = nullptr);

struct Expectation {
  enum class Kind { Section, Score, Gate, Mql, Classify, Mqa, Reasons, Fired, NotFired };
  Kind kind = Kind::Section;
  std::string key;       // as written: "fit", "score", "cpal", "mql", "quadrant", "fired", ...
  SourcePos pos;         // the key's position in the YAML file
  std::size_t column = 0;  // the output column (Section..Reasons): index in the `score` output row
  std::string expected;  // output text expected in that column ("84", "true", "hot", "" for missing)
  std::vector<std::pair<std::string, SourcePos>> labels;  // Fired / NotFired
};

struct TestCase {
  std::string name;
  SourcePos pos;  // the case's first key
  std::int64_t as_of = 0;
  std::vector<std::string> lead;                 // CSV cell text by lead field index
  std::vector<std::vector<std::string>> events;  // CSV cell text by activity field index
  // Rules with accounts: more leads of the case lead's account (each with its events), and the
  // accounts file's row (by account field; empty: the account is not in the file).
  std::vector<std::vector<std::string>> account_leads;
  std::vector<std::vector<std::vector<std::string>>> account_lead_events;
  std::vector<std::string> account;
  std::vector<Expectation> expectations;
  bool valid = true;  // false when the case had errors (reported in the diagnostics)
};

struct TestFile {
  SourceFilePtr file;
  std::vector<TestCase> cases;
};

// The output columns of `score` for a program, in order (id, sections, score, gates, mql, classifies, mqa).
std::vector<std::string> output_columns(const ir::Program& program);

// Parses a test file's text against a checked program. YAML syntax errors, unknown keys, fields and
// labels go to `diags` with the file's line and column; a case with errors is kept with valid = false.
// Returns false when the file as a whole cannot be read as a test file (syntax error, wrong shape).
bool parse_test_file(const SourceFilePtr& file, const ir::Program& program, Diagnostics& diags, TestFile& out);

// The outcome of one case.
struct CaseFailure {
  SourcePos pos;
  std::string message;  // "fit: expected 84, got 72"
};
struct CaseResult {
  std::vector<CaseFailure> failures;
  std::string explanation;  // explain_lead text, filled when a case fails
  std::string error;        // the case could not be run (e.g. a temporary file could not be written)
  engine::LeadRecord record;  // what the case's lead evaluated to (coverage reads it)
  bool passed() const { return failures.empty() && error.empty(); }
};

// Runs the cases of one rules file: the rules are compiled once; the cases' leads and events are
// written as CSV (one row per case) to a temporary directory and loaded exactly as `score` loads its
// files, every lead is evaluated, and every expectation is compared with the lead's outcome record.
// Linear in the number of cases.
class CaseRunner {
 public:
  bool open(const std::string& rules_path, std::string& error);
  std::vector<CaseResult> run(const std::vector<const TestCase*>& cases);  // results in the same order
  CaseResult run(const TestCase& test);
  const PreparedRun& prepared() const { return run_; }

 private:
  CaseResult compare(const TestCase& test, const engine::LeadRecord& record) const;
  // With accounts, each case runs on its own: its leads are one account, apart from the other cases'.
  CaseResult run_alone(const TestCase& test);
  std::string explanation(const TestCase& test, std::size_t lead) const;

  std::unique_ptr<TempDir> dir_;
  RunInputs inputs_;
  PreparedRun run_;
};

// "Fired" as rule tests judge `fired:` and `not_fired:` for lead `lead` of a prepared run: a rule
// fired, a multiplier applied or a gate criterion held (from the lead's outcome record).
bool label_fired(const PreparedRun& run, std::size_t lead, const std::string& label);

// One case on its own (a CaseRunner for a single case).
CaseResult run_test_case(const std::string& rules_path, const TestCase& test);

enum class TestOutput { Text, Github, Json };

struct TestRequest {
  std::vector<std::string> rules;
  std::optional<std::string> cases;  // a file (used for every rules file) or a directory
  TestOutput format = TestOutput::Text;
  // When set, also receives every error and each failed case (at the case's position, code
  // test-failed): what `--format sarif` reports.
  Diagnostics* results = nullptr;
  // Also report which rules, multipliers, gate criteria and classify branches no case makes true
  // (test_coverage.hpp); with `fail_under`, a total coverage below it (percent) fails the run.
  bool coverage = false;
  std::optional<double> fail_under;
};

// Runs every test file; writes the report to `out` and returns the exit status (0 all passed, 1 any
// failure or error, or coverage below `fail_under`). Json: one object with the counts, the failed
// cases and the coverage.
int run_rule_tests(const TestRequest& request, std::string& out);

}  // namespace leadscore::jobs
