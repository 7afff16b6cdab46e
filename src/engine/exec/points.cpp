#include "engine/exec/points.hpp"

namespace leadscore::engine {

PointsTable written_points(const Graph& graph) {
  PointsTable table(graph.rule_count);
  for (const auto& section : graph.sections)
    for (const auto& rule : section.rules) table[static_cast<std::size_t>(rule.ordinal)] = {rule.points, rule.cap};
  return table;
}

}  // namespace leadscore::engine
