#include "engine/exec/points.hpp"


namespace leadscore::engine {

PointsTable written_points(const Graph& graph) {
  PointsTable table(graph.rule_count);
  for (const auto& section : graph.sections)
    for (const auto& rule : section.rules) table[static_cast<std::size_t>(rule.ordinal)] = {rule.points, rule.cap};
  return table;
}

LimitsTable written_limits(const Graph& graph) {
  LimitsTable table;
  for (const auto& section : graph.sections) table.push_back({section.max, section.min});
  return table;
}

namespace {

bool is_score(const Node& n) { return n.kind == Kind::SectionValue || n.kind == Kind::ScoreValue; }

bool is_number_constant(const Node& n) {
  return n.kind == Kind::Expr && n.op == Op::Const && n.type == Type::Number && !n.constant.missing;
}

bool is_comparison(Op op) {
  return op == Op::Eq || op == Op::Ne || op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge ||
         op == Op::Between;
}

// `30 <= fit` is `fit >= 30`.
Op mirrored(Op op) {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}

// Whether a lead node's value depends on a score (through arithmetic, not through a condition).
bool reads_score(const Graph& graph, NodeIndex n) {
  const Node& node = graph.lead_nodes[static_cast<std::size_t>(n)];
  if (is_score(node)) return true;
  if (node.kind != Kind::Expr || node.type != Type::Number) return false;
  if (node.op == Op::AccountAgg) {
    // max, min, sum, avg and top of a score over the account's leads are on the score's scale.
    const AccountAggregatePlan& plan = graph.account_aggregates[static_cast<std::size_t>(node.index)];
    using K = ir::LeadsAggregateKind;
    const bool on_scale = plan.kind == K::Max || plan.kind == K::Min || plan.kind == K::Sum || plan.kind == K::Avg ||
                          plan.kind == K::Top;
    return on_scale && plan.value != kNone && reads_score(graph, plan.value);
  }
  for (NodeIndex a : node.args)
    if (a != kNone && reads_score(graph, a)) return true;
  return false;
}

}  // namespace

std::vector<ScoreThreshold> score_thresholds(const Graph& graph) {
  std::vector<ScoreThreshold> out;
  const auto& nodes = graph.lead_nodes;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const Node& node = nodes[n];
    if (node.kind != Kind::Expr || !is_comparison(node.op) || node.operand_type != Type::Number) continue;
    auto at = [&](int k) -> const Node& { return nodes[static_cast<std::size_t>(node.args[static_cast<std::size_t>(k)])]; };
    auto section_of = [](const Node& s) { return s.kind == Kind::SectionValue ? s.index : -1; };
    auto add = [&](int arg, const Node& score, Op op) {
      out.push_back(ScoreThreshold{static_cast<NodeIndex>(n), arg, section_of(score), op, at(arg).constant.number, node.pos});
    };
    if (node.op == Op::Between) {
      if (!is_score(at(0))) continue;
      if (is_number_constant(at(1))) add(1, at(0), Op::Ge);
      if (is_number_constant(at(2))) add(2, at(0), Op::Le);
    } else if (is_score(at(0)) && is_number_constant(at(1))) {
      add(1, at(0), node.op);
    } else if (is_score(at(1)) && is_number_constant(at(0))) {
      add(0, at(1), mirrored(node.op));
    }
  }
  return out;
}

std::vector<NodeIndex> score_expression_comparisons(const Graph& graph) {
  std::vector<NodeIndex> out;
  const auto& nodes = graph.lead_nodes;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const Node& node = nodes[n];
    if (node.kind != Kind::Expr || !is_comparison(node.op) || node.operand_type != Type::Number) continue;
    int scores = 0, plain = 0;
    for (NodeIndex a : node.args) {
      if (a == kNone) continue;
      if (reads_score(graph, a)) {
        ++scores;
        if (is_score(nodes[static_cast<std::size_t>(a)])) ++plain;
      }
    }
    const bool simple = scores == 1 && plain == 1;  // a plain score against numbers (or a field)
    if (scores > 0 && !simple) out.push_back(static_cast<NodeIndex>(n));
  }
  return out;
}

std::string threshold_key(const Graph& graph, const ScoreThreshold& t) {
  return ir::threshold_key(t.section < 0 ? std::string("score") : graph.sections[static_cast<std::size_t>(t.section)].name,
                       t.op, t.written);
}

}  // namespace leadscore::engine
