#include "engine/exec/outcome.hpp"

#include "engine/exec/evaluator.hpp"

namespace leadscore::engine {

void record_lead(const Graph& graph, const PointsTable& points, const BatchInput& input, const BatchState& state,
                 std::size_t row, LeadRecord& record) {
  record.rules.resize(graph.rule_count);
  record.multipliers.resize(graph.multiplier_count);
  record.sections.resize(graph.sections.size());
  record.criteria.resize(graph.criterion_count);
  record.gates.resize(graph.gates.size());
  record.classify_branch.resize(graph.classifies.size());
  const std::size_t lead = input.first_lead + row;
  for (std::size_t s = 0; s < graph.sections.size(); ++s) {
    const SectionPlan& section = graph.sections[s];
    double sum = 0;
    for (const auto& rule : section.rules) {
      const RulePoints& p = points[static_cast<std::size_t>(rule.ordinal)];
      RuleOutcome& o = record.rules[static_cast<std::size_t>(rule.ordinal)];
      o = rule.each ? each_rule_outcome(input.aggregates->value(static_cast<std::size_t>(rule.slot), lead), p)
                    : when_rule_outcome(state.view(rule.condition).truth[row], p);
      sum += o.contribution;
    }
    double factor = 1.0;
    for (const auto& m : section.multipliers) {
      MultiplierOutcome& o = record.multipliers[static_cast<std::size_t>(m.ordinal)];
      o.condition = state.view(m.condition).truth[row];
      o.applied = o.condition == kTrue;
      o.factor = m.factor;
      if (o.applied) factor *= m.factor;
    }
    const SectionLimits limits = input.limits ? (*input.limits)[s] : SectionLimits{section.max, section.min};
    record.sections[s] = section_outcome(sum, factor, limits.max, limits.min);
  }
  record.score = state.view(graph.score).num[row];
  for (std::size_t g = 0; g < graph.gates.size(); ++g) {
    for (const auto& c : graph.gates[g].criteria)
      record.criteria[static_cast<std::size_t>(c.ordinal)] = state.view(c.condition).truth[row];
    record.gates[g] = state.view(graph.gates[g].value).truth[row] == kTrue;
  }
  if (graph.has_mql) {
    record.mql_condition = state.view(graph.lead_nodes[static_cast<std::size_t>(graph.mql)].args[0]).truth[row];
    record.mql = state.view(graph.mql).truth[row] == kTrue;
  }
  for (std::size_t c = 0; c < graph.classifies.size(); ++c) record.classify_branch[c] = state.classify_branch(c)[row];
}

}  // namespace leadscore::engine
