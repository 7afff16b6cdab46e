#pragma once
// Rule points from outcomes: one fit of the rules' features (logistic or shrunk log-lift) on a set
// of closed leads, turned into points on the scorecard scale. Used for the backtest's training
// part, each walk-forward refit and the final weights.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadscore::calibrate {

// One rule's column over every lead: the fit's feature and the 0/1 "matched" indicator.
struct RuleColumn {
  std::string label, section;
  bool each = false;
  double written_points = 0;
  std::optional<double> written_cap;
  std::vector<double> feature;         // 0/1 for when-rules; events counted as the rule counts them for each-rules
  std::vector<std::uint8_t> matched;   // feature > 0
};

struct RuleFitOptions {
  std::string method = "logistic";  // logistic | loglift
  double l2 = 1.0;
  double pdo = 20;
  std::uint64_t min_support = 30;
};

struct RuleFit {
  double intercept = 0;
  std::vector<double> log_odds;  // per rule; NaN = not fitted (low support)
  std::vector<double> points;    // per rule; written points when low support
  std::vector<std::optional<double>> caps;
  std::vector<bool> low_support;
};

// Fits the rules on `rows` (lead ordinals; label[lead] is 1 for won). Only the labels of `rows` are
// read. rows must hold won and lost leads.
RuleFit fit_rules(const std::vector<RuleColumn>& columns, const std::vector<std::size_t>& rows,
                  const std::vector<std::uint8_t>& label, const RuleFitOptions& options);

}  // namespace leadscore::calibrate
