// Text and Graphviz views of the evaluation graph.
#include <fmt/format.h>

#include "engine/plan/graph.hpp"
#include "io/number_format.hpp"

namespace leadscore::engine {
namespace {

std::string node_label(const ir::Program& p, const Graph& g, const Node& n, const char* prefix) {
  switch (n.kind) {
    case Kind::SectionValue: return fmt::format("section {}", g.sections[static_cast<std::size_t>(n.index)].name);
    case Kind::ScoreValue: return "score (sum of sections)";
    case Kind::GateValue: return fmt::format("gate {}", g.gates[static_cast<std::size_t>(n.index)].name);
    case Kind::MqlValue: return fmt::format("mql {}{}", prefix, n.args[0]);
    case Kind::ClassifyValue: return fmt::format("classify {}", g.classifies[static_cast<std::size_t>(n.index)].name);
    case Kind::RouteValue: return fmt::format("route (first of {} routes)", g.routes.size());
    case Kind::Expr: break;
  }
  std::string args;
  for (NodeIndex a : n.args)
    if (a != kNone) args += fmt::format(" {}{}", prefix, a);
  switch (n.op) {
    case Op::Const:
      if (n.constant.missing) return "missing";
      switch (n.type) {
        case Type::Number: return io::format_number(n.constant.number);
        case Type::String: return fmt::format("{:?}", n.constant.text);  // escaped: one line per node
        case Type::Bool: return n.constant.boolean ? "true" : "false";
        default: return "const";
      }
    case Op::LeadField: return fmt::format("field {}", p.lead_fields[static_cast<std::size_t>(n.index)].name);
    case Op::EventField: return fmt::format("activity.{}", p.activity_fields[static_cast<std::size_t>(n.index)].name);
    case Op::AggCount:
    case Op::AggExists:
    case Op::AggSum:
    case Op::AggDaysSinceLast: return fmt::format("{} slot{}", ir::op_name(n.op), n.index);
    case Op::AccountField: return fmt::format("account.{}", p.account_fields[static_cast<std::size_t>(n.index)].name);
    case Op::AccountAgg: return fmt::format("over the account's leads: a{}", n.index);
    case Op::InList:
    case Op::NotInList:
    case Op::ContainsAny:
      return fmt::format("{}{} list{}({} entries)", ir::op_name(n.op), args, n.index,
                         g.lists[static_cast<std::size_t>(n.index)].entries().size());
    default: return fmt::format("{}{}", ir::op_name(n.op), args);
  }
}

// The inside of a DOT quoted string (the graph's name, a node's label).
std::string dot_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

const char* slot_kind(ir::AggregateKind k) {
  switch (k) {
    case ir::AggregateKind::Count: return "count";
    case ir::AggregateKind::Sum: return "sum";
    case ir::AggregateKind::LastTime: return "last time";
    case ir::AggregateKind::DecaySum: return "decayed count";
    case ir::AggregateKind::FirstSince: return "first since route entry";
  }
  return "?";
}

}  // namespace

std::string print_graph(const ir::Program& p, const Graph& g) {
  std::string out = fmt::format("ruleset {:?} version {}: {} event nodes, {} lead nodes, {} aggregate slots\n",
                                p.name, p.version, g.event_nodes.size(), g.lead_nodes.size(), g.slots.size());
  if (!g.event_nodes.empty()) out += "\nper event (activity filters):\n";
  for (std::size_t i = 0; i < g.event_nodes.size(); ++i)
    out += fmt::format("  e{:<4} {:<8} {}\n", i, ir::type_name(g.event_nodes[i].type), node_label(p, g, g.event_nodes[i], "e"));
  if (!g.slots.empty()) out += "\naggregate slots (one pass over the events):\n";
  for (std::size_t s = 0; s < g.slots.size(); ++s) {
    const auto& slot = g.slots[s];
    out += fmt::format("  slot{:<3} {}", s, slot_kind(slot.kind));
    if (slot.kind == ir::AggregateKind::Sum)
      out += fmt::format(" of activity.{}", p.activity_fields[static_cast<std::size_t>(slot.sum_field)].name);
    out += slot.filter == kNone ? " of every event" : fmt::format(" where e{}", slot.filter);
    if (slot.within) out += fmt::format(" within {}h", *slot.within / 3'600'000'000LL);
    if (slot.kind == ir::AggregateKind::DecaySum) out += fmt::format(" half-life {}h", slot.half_life / 3.6e9);
    out += '\n';
  }
  if (g.has_accounts) {
    static constexpr const char* kinds[] = {"count", "exists", "distinct", "max", "min", "sum", "avg", "top"};
    out += fmt::format("\naccounts (two passes over the leads before scoring): key n{}\n", g.account_key);
    for (std::size_t a = 0; a < g.account_aggregates.size(); ++a) {
      const auto& plan = g.account_aggregates[a];
      out += fmt::format("  a{:<4} {}", a, kinds[static_cast<std::size_t>(plan.kind)]);
      if (plan.kind == ir::LeadsAggregateKind::Top) out += fmt::format(" {}", plan.top);
      if (plan.value != kNone) out += fmt::format(" of n{}", plan.value);
      out += plan.filter == kNone ? " over every lead\n" : fmt::format(" over leads where n{}\n", plan.filter);
    }
  }
  out += "\nper lead:\n";
  for (std::size_t i = 0; i < g.lead_nodes.size(); ++i)
    out += fmt::format("  n{:<4} {:<8} {}\n", i, ir::type_name(g.lead_nodes[i].type), node_label(p, g, g.lead_nodes[i], "n"));
  for (const auto& s : g.sections) {
    out += fmt::format("\nsection {} = n{}", s.name, s.value);
    if (s.max) out += fmt::format(" max {}", io::format_number(*s.max));
    if (s.min) out += fmt::format(" min {}", io::format_number(*s.min));
    out += '\n';
    for (const auto& r : s.rules) {
      if (r.each && r.account_aggregate >= 0)
        out += fmt::format("  rule {:?}: each lead of account aggregate{} x {}", r.label, r.account_aggregate,
                           io::format_number(r.points));
      else if (r.each) out += fmt::format("  rule {:?}: each event of slot{} x {}", r.label, r.slot, io::format_number(r.points));
      else out += fmt::format("  rule {:?}: when n{} -> {}", r.label, r.condition, io::format_number(r.points));
      if (r.cap) out += fmt::format(" (max {})", io::format_number(*r.cap));
      out += '\n';
    }
    for (const auto& m : s.multipliers)
      out += fmt::format("  multiply {:?}: when n{} x {}\n", m.label, m.condition, io::format_number(m.factor));
  }
  for (const auto& gate : g.gates) {
    out += fmt::format("\ngate {} = n{}\n", gate.name, gate.value);
    for (const auto& c : gate.criteria) out += fmt::format("  {:?}: n{}\n", c.label, c.condition);
  }
  if (g.has_mql) out += fmt::format("\nmql = n{}\n", g.mql);
  for (const auto& c : g.classifies) {
    out += fmt::format("\nclassify {} = n{}\n", c.name, c.value);
    for (const auto& b : c.branches)
      out += b.condition == kNone ? fmt::format("  {:?} otherwise\n", b.value)
                                  : fmt::format("  {:?} when n{}\n", b.value, b.condition);
  }
  return out;
}

std::string graph_to_dot(const ir::Program& p, const Graph& g) {
  std::string out = fmt::format("digraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
                                dot_escape(p.name));
  for (std::size_t i = 0; i < g.event_nodes.size(); ++i) {
    out += fmt::format("  e{} [label=\"{}\", style=dashed];\n", i, dot_escape(node_label(p, g, g.event_nodes[i], "e")));
    for (NodeIndex a : g.event_nodes[i].args)
      if (a != kNone) out += fmt::format("  e{} -> e{};\n", a, i);
  }
  for (std::size_t s = 0; s < g.slots.size(); ++s) {
    out += fmt::format("  slot{} [label=\"slot{} {}\", shape=cylinder];\n", s, s, slot_kind(g.slots[s].kind));
    if (g.slots[s].filter != kNone) out += fmt::format("  e{} -> slot{};\n", g.slots[s].filter, s);
  }
  for (std::size_t i = 0; i < g.lead_nodes.size(); ++i) {
    const Node& n = g.lead_nodes[i];
    out += fmt::format("  n{} [label=\"{}\"{}];\n", i, dot_escape(node_label(p, g, n, "n")),
                       n.kind == Kind::Expr ? "" : ", style=bold");
    for (NodeIndex a : n.args)
      if (a != kNone) out += fmt::format("  n{} -> n{};\n", a, i);
    if (n.kind == Kind::Expr && (n.op == Op::AggCount || n.op == Op::AggExists || n.op == Op::AggSum ||
                                 n.op == Op::AggDaysSinceLast))
      out += fmt::format("  slot{} -> n{};\n", n.index, i);
  }
  for (const auto& s : g.sections) {
    for (const auto& r : s.rules)
      out += r.each && r.account_aggregate >= 0 ? fmt::format("  account_aggregate{} -> n{};\n", r.account_aggregate, s.value)
             : r.each ? fmt::format("  slot{} -> n{};\n", r.slot, s.value)
                      : fmt::format("  n{} -> n{};\n", r.condition, s.value);
    for (const auto& m : s.multipliers) out += fmt::format("  n{} -> n{};\n", m.condition, s.value);
    if (g.score != kNone) out += fmt::format("  n{} -> n{};\n", s.value, g.score);
  }
  for (const auto& gate : g.gates)
    for (const auto& c : gate.criteria) out += fmt::format("  n{} -> n{};\n", c.condition, gate.value);
  for (const auto& c : g.classifies)
    for (const auto& b : c.branches)
      if (b.condition != kNone) out += fmt::format("  n{} -> n{};\n", b.condition, c.value);
  out += "}\n";
  return out;
}

}  // namespace leadscore::engine
