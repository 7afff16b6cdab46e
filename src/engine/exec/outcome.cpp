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
      if (rule.each && rule.account_aggregate >= 0) o = each_rule_outcome(account_each_amount(rule, input, row), p);
      else if (rule.each) o = each_rule_outcome(input.aggregates->value(static_cast<std::size_t>(rule.slot), lead), p);
      else o = when_rule_outcome(state.view(rule.condition).truth[row], p);
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
  if (graph.has_mqa) record.mqa = state.view(graph.mqa).truth[row] == kTrue;
  record_route(graph, input, state, row, record);
}

void record_route(const Graph& graph, const BatchInput& input, const BatchState& state, std::size_t row,
                  LeadRecord& record) {
  const std::size_t lead = input.first_lead + row;
  record.route = graph.routes.empty() ? -1 : state.route()[row];
  record.responses.resize(graph.responses.size());
  for (std::size_t r = 0; r < graph.responses.size(); ++r) {
    const ResponsePlan& plan = graph.responses[r];
    ResponseOutcome& o = record.responses[r];
    if (plan.slot >= 0) {
      o.at = input.aggregates->first_time(static_cast<std::size_t>(plan.slot), lead);
      o.condition = o.at != kNoTime ? kTrue : kFalse;
      continue;
    }
    o.condition = state.view(plan.condition).truth[row];
    o.at = kNoTime;
    if (plan.at_field >= 0) {
      const ColumnView& at = input.fields[static_cast<std::size_t>(plan.at_field)];
      if (at.valid[row]) o.at = at.time[row];
    }
  }
}

}  // namespace leadscore::engine
