#pragma once
// `leadscore test --coverage`: which rules, multipliers, gate criteria and classify branches the rule
// tests exercise. As in `opa test --coverage`, an item is covered when some case makes it true (a
// rule fires, a multiplier applies, a criterion holds, a branch is the one chosen); items that no
// case makes false are listed too, since a test that never sees a rule not fire cannot catch a
// condition that is always true.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/source.hpp"
#include "engine/exec/outcome.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

struct CoverageItem {
  std::string kind;  // rule, multiplier, criterion, branch
  std::string name;  // the label; "cpal: Revenue" for a criterion, "quadrant: hot" for a branch
  SourcePos pos;
  std::size_t true_cases = 0, false_cases = 0;
  std::int32_t ordinal = -1;  // rules, multipliers, criteria: their ordinal; branches: the branch
  std::int32_t classify = -1;  // branches: their classify
  bool can_be_false = true;    // not an `otherwise` branch
  bool covered() const { return true_cases > 0; }
  bool never_false() const { return covered() && false_cases == 0 && can_be_false; }
};

struct RulesCoverage {
  std::string rules;  // the rules file as named on the command line
  SourceFilePtr source;  // its text, for SARIF's code-point columns
  std::vector<CoverageItem> items;  // in declaration order
  std::size_t covered() const;
};

// Starts the tally of a ruleset: every item, no case seen yet.
RulesCoverage coverage_items(const std::string& rules, const PreparedRun& run);
// Adds one case's outcome record.
void add_case(RulesCoverage& coverage, const engine::LeadRecord& record);

// "62.5" for 5 of 8 (100 when there is nothing to cover).
double coverage_percent(std::size_t covered, std::size_t total);

// The report: per rules file, the items never true and never false (an `otherwise` branch cannot be
// false), then the total.
std::string coverage_text(const std::vector<RulesCoverage>& files);
std::string coverage_json(const std::vector<RulesCoverage>& files);
// `::warning file=...,line=...::rule "X" is true in no test case` for every uncovered item.
std::string coverage_annotations(const std::vector<RulesCoverage>& files);
// An `untested` warning at every item no case makes true and every one no case makes false (for SARIF).
void coverage_diagnostics(const std::vector<RulesCoverage>& files, Diagnostics& out);

}  // namespace leadscore::jobs
