#pragma once
// The points each rule adds, as plain data: the written points of the graph, or an override such as
// calibrated points. The graph itself never changes after compile().
#include <optional>
#include <vector>

#include "engine/plan/graph.hpp"

namespace leadscore::engine {

struct RulePoints {
  double points = 0;
  std::optional<double> cap;  // each-rules: `max M`
  friend bool operator==(const RulePoints&, const RulePoints&) = default;
};

// By RulePlan::ordinal.
using PointsTable = std::vector<RulePoints>;

// The points as written in the rules file.
PointsTable written_points(const Graph& graph);

}  // namespace leadscore::engine
