#include "jobs/expression_text.hpp"

#include <fmt/format.h>

#include "io/number_format.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

std::string ExpressionText::constant(const Node& node) {
  if (node.constant.missing) return "missing";
  switch (node.type) {
    case Type::Number: return io::format_number(node.constant.number);
    case Type::String: return fmt::format("\"{}\"", node.constant.text);
    case Type::Bool: return node.constant.boolean ? "true" : "false";
    case Type::Instant: return io::format_timestamp(node.constant.instant);
    default: return "?";
  }
}

std::string ExpressionText::duration(std::int64_t micros) {
  std::int64_t hours = micros / 3'600'000'000LL;
  if (hours % 24 == 0) return fmt::format("{}d", hours / 24);
  return fmt::format("{}h", hours);
}

std::string ExpressionText::slot(const SlotPlan& slot) const {
  std::string s = "activity";
  if (slot.filter != kNone) s += " where " + event_text(slot.filter);
  if (slot.within) s += " within " + (slot.within_text.empty() ? duration(*slot.within) : slot.within_text);
  if (slot.kind == ir::AggregateKind::DecaySum)
    s += " decay " + (slot.half_life_text.empty() ? duration(static_cast<std::int64_t>(slot.half_life))
                                                   : slot.half_life_text);
  return s;
}

std::string ExpressionText::event_text(NodeIndex n) const {
  const Node& node = g_.event_nodes[static_cast<std::size_t>(n)];
  auto arg = [&](int k) { return event_text(node.args[static_cast<std::size_t>(k)]); };
  switch (node.op) {
    case Op::Const: return constant(node);
    case Op::EventField: return p_.activity_fields[static_cast<std::size_t>(node.index)].name;
    default: return operator_text(node, arg);
  }
}

template <typename Arg>
std::string ExpressionText::operator_text(const Node& node, Arg arg) const {
  auto list_text = [&] {
    const auto& name = g_.list_names[static_cast<std::size_t>(node.index)];
    if (!name.empty()) return name;
    const auto& entries = g_.lists[static_cast<std::size_t>(node.index)].entries();
    if (entries.size() <= 4) {
      std::string s = "[";
      for (std::size_t i = 0; i < entries.size(); ++i) s += fmt::format("{}\"{}\"", i ? ", " : "", entries[i]);
      return s + "]";
    }
    return fmt::format("a list of {}", entries.size());
  };
  switch (node.op) {
    case Op::Not: return "not (" + arg(0) + ")";
    case Op::And: return "(" + arg(0) + ") and (" + arg(1) + ")";
    case Op::Or: return "(" + arg(0) + ") or (" + arg(1) + ")";
    case Op::Between: return arg(0) + " between " + arg(1) + " and " + arg(2);
    case Op::InList:
    case Op::NotInList:
    case Op::ContainsAny: return fmt::format("{} {} {}", arg(0), ir::op_name(node.op), list_text());
    case Op::IsMissing:
    case Op::IsPresent: return fmt::format("{} {}", arg(0), ir::op_name(node.op));
    case Op::Neg: return "-" + arg(0);
    case Op::Domain:
    case Op::Lower:
    case Op::Upper:
    case Op::Length:
    case Op::DaysSince:
    case Op::DayOfWeek:
    case Op::Hour:
    case Op::Month: return fmt::format("{}({})", ir::op_name(node.op), arg(0));
    default: return fmt::format("{} {} {}", arg(0), ir::op_name(node.op), arg(1));
  }
}

std::string ExpressionText::value(NodeIndex n) const {
  const Node& nd = node(n);
  const ColumnView& v = state_.view(n);
  if (nd.type == Type::Bool) return v.truth[row_] == kTrue ? "true" : v.truth[row_] == kFalse ? "false" : "unknown";
  if (!v.valid[row_]) return "missing";
  switch (nd.type) {
    case Type::Number: return io::format_number(v.num[row_]);
    case Type::String: return fmt::format("\"{}\"", v.str[row_]);
    case Type::Instant: return io::format_timestamp(v.time[row_]);
    default: return "?";
  }
}

namespace {

// Binding strength, loosest first, as in the language's grammar.
int precedence(const Node& node) {
  if (node.kind != Kind::Expr) return 9;
  switch (node.op) {
    case Op::Or: return 1;
    case Op::And: return 2;
    case Op::Not: return 3;
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Between:
    case Op::InList: case Op::NotInList: case Op::ContainsAny: case Op::Contains: case Op::StartsWith:
    case Op::EndsWith: case Op::IsMissing: case Op::IsPresent: return 4;
    case Op::Add: case Op::Sub: return 5;
    case Op::Mul: case Op::Div: return 6;
    case Op::Neg: return 7;
    default: return 9;
  }
}

}  // namespace

std::optional<double> ExpressionText::adopted(NodeIndex n, int arg) const {
  for (const auto& t : run_.thresholds)
    if (t.node == n && t.arg == arg) return t.value;
  return std::nullopt;
}

std::string ExpressionText::source(NodeIndex n) const {
  const Node& nd = node(n);
  if (nd.kind != Kind::Expr) return render(n, false);
  const int own = precedence(nd);
  auto arg = [&](int k) {
    NodeIndex a = nd.args[static_cast<std::size_t>(k)];
    if (auto v = adopted(n, k)) return fmt::format("{} (adopted; written {})", io::format_number(*v), source(a));
    const Node& child = node(a);
    int inner = precedence(child);
    // Operands of a comparison or `not` that are themselves conditions, and the right operand of a
    // left-grouping operator of the same strength, need parentheses to read back the same.
    bool wrap = inner < own || (inner == own && k > 0 && (nd.op == Op::Sub || nd.op == Op::Div)) ||
                (own == 4 && inner == 4) || (own == 1 && inner == 2);  // `a or (b and c)` reads better
    return wrap ? "(" + source(a) + ")" : source(a);
  };
  switch (nd.op) {
    case Op::Not: return "not " + arg(0);
    case Op::And: return arg(0) + " and " + arg(1);
    case Op::Or: return arg(0) + " or " + arg(1);
    default: break;
  }
  if (nd.op == Op::Const || nd.op == Op::LeadField || precedence(nd) == 9) return render(n, false);
  return operator_text(nd, arg);
}
std::string ExpressionText::with_values(NodeIndex n) const { return render(n, true); }
std::string ExpressionText::leads_aggregate(std::size_t index) const {
  static constexpr const char* names[] = {"count", "exists", "distinct", "max", "min", "sum", "avg", "top"};
  const AccountAggregatePlan& a = g_.account_aggregates[index];
  std::string text = names[static_cast<std::size_t>(a.kind)];
  text += '(';
  if (a.kind == ir::LeadsAggregateKind::Top) text += fmt::format("{}, ", a.top);
  if (a.value != kNone) text += render(a.value, false) + " of ";
  text += "leads";
  if (a.filter != kNone) text += " where " + render(a.filter, false);
  return text + ")";
}

std::string ExpressionText::describe(NodeIndex n) const { return render(n, true) + "  ->  " + value(n); }

std::string ExpressionText::render(NodeIndex n, bool values) const {
  const Node& nd = node(n);
  auto arg = [&](int k) {
    const NodeIndex a = nd.args[static_cast<std::size_t>(k)];
    if (auto v = adopted(n, k)) return fmt::format("{} (adopted; written {})", io::format_number(*v), render(a, false));
    return render(a, values);
  };
  auto named = [&](const std::string& name) { return values ? fmt::format("{} = {}", name, value(n)) : name; };
  switch (nd.kind) {
    case Kind::SectionValue: return named(g_.sections[static_cast<std::size_t>(nd.index)].name);
    case Kind::ScoreValue: return named("score");
    case Kind::GateValue: return named(g_.gates[static_cast<std::size_t>(nd.index)].name);
    case Kind::ClassifyValue: return named(g_.classifies[static_cast<std::size_t>(nd.index)].name);
    case Kind::MqlValue: return named("mql");
    case Kind::RouteValue: return named("route");
    case Kind::Expr: break;
  }
  switch (nd.op) {
    case Op::Const: return constant(nd);
    case Op::LeadField: return named(p_.lead_fields[static_cast<std::size_t>(nd.index)].name);
    case Op::AccountField: return named("account." + p_.account_fields[static_cast<std::size_t>(nd.index)].name);
    case Op::AccountAgg: return named(leads_aggregate(static_cast<std::size_t>(nd.index)));
    case Op::AggCount:
    case Op::AggExists:
    case Op::AggSum:
    case Op::AggDaysSinceLast: {
      const auto& s = g_.slots[static_cast<std::size_t>(nd.index)];
      std::string inner = slot(s);
      if (s.kind == ir::AggregateKind::Sum)
        inner = fmt::format("activity.{}{}", p_.activity_fields[static_cast<std::size_t>(s.sum_field)].name,
                            inner.substr(8));
      return named(fmt::format("{}({})", ir::op_name(nd.op), inner));
    }
    default: {
      std::string text = operator_text(nd, arg);
      if (values && nd.type != Type::Bool) text += " = " + value(n);
      return text;
    }
  }
}

}  // namespace leadscore::jobs
