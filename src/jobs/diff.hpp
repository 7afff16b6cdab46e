#pragma once
// `leadscore diff`: score the same leads with two rule sets and report what the change does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/load/lead_table.hpp"
#include "jobs/git_rules.hpp"

namespace leadscore::jobs {

// --fail-if 'METRIC OP VALUE[%]'. Metrics (fail_if_metrics()): mql_flips, mql_in, mql_out, moved,
// quadrant_moves (counts of leads, or with `%` shares of the leads compared), score_mean_change
// (absolute change of the mean score, points).
struct FailIf {
  std::string text;    // as written
  std::string metric;
  std::string op;      // > >= < <=
  double value = 0;
  bool percent = false;
};
const std::vector<std::string>& fail_if_metrics();
// A misspelt metric gets a did-you-mean.
bool parse_fail_if(std::string_view text, FailIf& out, std::string& error);

// The p-quantile (0..1) of sorted values, linear interpolation between closest ranks (R type 7).
double quantile(const std::vector<double>& sorted, double p);

enum class DiffFormat { Text, Markdown, Json, Github };

struct DiffRequest {
  std::string old_rules, new_rules;
  std::string leads;
  std::optional<std::string> activities;
  std::optional<std::string> accounts;
  std::int64_t as_of = 0;
  engine::ReadOptions read;
  DiffFormat format = DiffFormat::Text;
  std::vector<FailIf> fail_if;
  std::size_t top = 10;  // movers listed, and MQL flips listed
  bool allow_other_ruleset = false;  // apply a weights file calibrated for another ruleset
};

// Runs the diff; writes the report to `out` and problems to `err`. Returns the exit status:
// 0 ok, 1 error (a ruleset that does not compile or a file or git reference that cannot be read),
// 3 a --fail-if threshold was exceeded.
int run_diff(const DiffRequest& request, std::string& out, std::string& err);

}  // namespace leadscore::jobs
