// Checked program to evaluation graph: dependencies first (so the node order is topological),
// identical subexpressions merged, constant subexpressions folded by the given folder (the real kernels).
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "common/text.hpp"
#include "engine/plan/graph.hpp"

namespace leadscore::engine {
namespace {

bool is_pure_operator(Op op) {
  switch (op) {
    case Op::Const:
    case Op::LeadField:
    case Op::EventField:
    case Op::SectionRef:
    case Op::GateRef:
    case Op::ClassifyRef:
    case Op::ScoreRef:
    case Op::MqlRef:
    case Op::AggCount:
    case Op::AggExists:
    case Op::AggSum:
    case Op::AggDaysSinceLast:
    case Op::AccountField:
    case Op::AccountAgg:
    case Op::DaysSince:  // depends on each lead's as-of instant
      return false;
    default: return true;
  }
}

std::string node_key(const Node& n) {
  std::string key = fmt::format("{}|{}|{}|{}|{},{},{}|{}", static_cast<int>(n.kind), static_cast<int>(n.op),
                                static_cast<int>(n.type), static_cast<int>(n.operand_type), n.args[0], n.args[1],
                                n.args[2], n.index);
  if (n.kind == Kind::Expr && n.op == Op::Const)
    key += fmt::format("|{}|{}|{}|{}|{}", n.constant.missing, n.constant.number, n.constant.boolean,
                       n.constant.instant, n.constant.text);
  return key;
}

class Compiler {
 public:
  Compiler(const ir::Program& program, const ConstantFolder& fold) : p_(program), fold_(fold) {
    lead_memo_.assign(p_.nodes.size(), kNone);
    event_memo_.assign(p_.nodes.size(), kNone);
    list_map_.assign(p_.lists.size(), -1);
    slot_map_.assign(p_.aggregates.size(), -1);
    section_value_.assign(p_.sections.size(), kNone);
    gate_value_.assign(p_.gates.size(), kNone);
    classify_value_.assign(p_.classifies.size(), kNone);
    g_.sections.resize(p_.sections.size());
    g_.gates.resize(p_.gates.size());
    g_.classifies.resize(p_.classifies.size());
    g_.lead_field_used.assign(p_.lead_fields.size(), false);
    g_.account_field_used.assign(p_.account_fields.size(), false);
    g_.activity_field_used.assign(p_.activity_fields.size(), false);
  }

  Graph run() {
    for (std::size_t s = 0; s < p_.sections.size(); ++s) section(s);
    score();
    for (std::size_t gi = 0; gi < p_.gates.size(); ++gi) gate(gi);
    if (p_.has_mql && p_.mql != ir::kNoNode) mql();
    for (std::size_t c = 0; c < p_.classifies.size(); ++c) classify(c);
    if (p_.handoff) handoff(*p_.handoff);
    if (p_.account_key) accounts();
    number_items();
    g_.needs_activity = !g_.slots.empty();
    return std::move(g_);
  }

 private:
  const ir::Program& p_;
  const ConstantFolder& fold_;
  Graph g_;
  std::vector<NodeIndex> lead_memo_, event_memo_;
  std::unordered_map<std::string, NodeIndex> lead_cse_, event_cse_;
  std::vector<std::int32_t> list_map_, slot_map_;
  std::vector<NodeIndex> section_value_, gate_value_, classify_value_;

  void accounts() {
    g_.has_accounts = true;
    g_.account_key = emit(p_.account_key->key, ir::Domain::Lead);
    if (p_.account_key->except >= 0) g_.account_key_except = list(p_.account_key->except);
    g_.account_domain_key = p_.account_key->domain_key;
    g_.account_aggregates.resize(p_.account_aggregates.size());
    for (std::size_t a = 0; a < p_.account_aggregates.size(); ++a) {
      const auto& in = p_.account_aggregates[a];
      auto& plan = g_.account_aggregates[a];
      plan.kind = in.kind;
      plan.top = in.top;
      if (in.value != ir::kNoNode) plan.value = emit(in.value, ir::Domain::Lead);
      if (in.filter != ir::kNoNode) plan.filter = emit(in.filter, ir::Domain::Lead);
    }
    if (p_.has_mqa && p_.mqa != ir::kNoNode) {
      g_.has_mqa = true;
      g_.mqa = emit(p_.mqa, ir::Domain::Lead);
    }
    g_.key_nodes = needed_nodes(g_, {g_.account_key});
    std::vector<NodeIndex> inputs{g_.account_key};
    for (const auto& plan : g_.account_aggregates) inputs.insert(inputs.end(), {plan.value, plan.filter});
    g_.aggregate_input_nodes = needed_nodes(g_, inputs);
  }

  // Ordinals in declaration order (sections may have been compiled in reference order).
  void number_items() {
    for (auto& section : g_.sections) {
      for (auto& rule : section.rules) rule.ordinal = static_cast<std::int32_t>(g_.rule_count++);
      for (auto& m : section.multipliers) m.ordinal = static_cast<std::int32_t>(g_.multiplier_count++);
    }
    for (auto& gate : g_.gates)
      for (auto& c : gate.criteria) c.ordinal = static_cast<std::int32_t>(g_.criterion_count++);
  }

  std::vector<Node>& nodes(ir::Domain d) { return d == ir::Domain::Event ? g_.event_nodes : g_.lead_nodes; }

  NodeIndex append(Node n, ir::Domain d) {
    auto& list = nodes(d);
    list.push_back(std::move(n));
    return static_cast<NodeIndex>(list.size() - 1);
  }

  NodeIndex intern(Node n, ir::Domain d) {
    if (n.kind == Kind::Expr && is_pure_operator(n.op)) fold(n, d);
    if (n.kind == Kind::Expr && n.op == Op::Const && n.type == Type::String) n.pattern = text::normalize(n.constant.text);
    auto& cse = d == ir::Domain::Event ? event_cse_ : lead_cse_;
    std::string key = node_key(n);
    if (auto it = cse.find(key); it != cse.end()) return it->second;
    NodeIndex id = append(std::move(n), d);
    cse.emplace(std::move(key), id);
    return id;
  }

  // Replaces an operator over constants by its value (the folder runs the same kernel as per row).
  void fold(Node& n, ir::Domain d) {
    const auto& list = nodes(d);
    int count = 0;
    for (NodeIndex a : n.args) {
      if (a == kNone) continue;
      ++count;
      const Node& arg = list[static_cast<std::size_t>(a)];
      if (arg.kind != Kind::Expr || arg.op != Op::Const) return;
    }
    if (count == 0) return;
    if (auto folded = fold_(list, n, g_)) n = std::move(*folded);
  }

  std::int32_t list(std::int32_t ir_list) {
    auto& mapped = list_map_[static_cast<std::size_t>(ir_list)];
    if (mapped < 0) {
      g_.lists.emplace_back(p_.lists[static_cast<std::size_t>(ir_list)].entries);
      g_.list_names.push_back(p_.lists[static_cast<std::size_t>(ir_list)].name);
      mapped = static_cast<std::int32_t>(g_.lists.size() - 1);
    }
    return mapped;
  }

  std::int32_t slot(std::int32_t ir_aggregate) {
    auto& mapped = slot_map_[static_cast<std::size_t>(ir_aggregate)];
    if (mapped >= 0) return mapped;
    const ir::Aggregate& a = p_.aggregates[static_cast<std::size_t>(ir_aggregate)];
    SlotPlan plan;
    plan.kind = a.kind;
    plan.filter = a.filter == ir::kNoNode ? kNone : emit(a.filter, ir::Domain::Event);
    // A filter that folded to a constant: true keeps every event; false or unknown keeps none.
    if (plan.filter != kNone) {
      const Node& f = g_.event_nodes[static_cast<std::size_t>(plan.filter)];
      if (f.kind == Kind::Expr && f.op == Op::Const && f.type == Type::Bool && !f.constant.missing &&
          f.constant.boolean)
        plan.filter = kNone;
    }
    plan.within = a.within;
    plan.sum_field = a.sum_field;
    plan.half_life = a.half_life;
    plan.within_text = a.within_text;
    plan.half_life_text = a.half_life_text;
    if (a.sum_field >= 0) g_.activity_field_used[static_cast<std::size_t>(a.sum_field)] = true;
    for (std::size_t s = 0; s < g_.slots.size(); ++s) {
      const SlotPlan& o = g_.slots[s];
      // Spelt alike too: `explain` prints each window as written (`14d` stays `14d` beside a `2w`).
      if (o.kind == plan.kind && o.filter == plan.filter && o.within == plan.within &&
          o.sum_field == plan.sum_field && o.half_life == plan.half_life && o.within_text == plan.within_text &&
          o.half_life_text == plan.half_life_text)
        return mapped = static_cast<std::int32_t>(s);
    }
    g_.slots.push_back(plan);
    return mapped = static_cast<std::int32_t>(g_.slots.size() - 1);
  }

  NodeIndex emit(ir::NodeId id, ir::Domain d) {
    auto& memo = d == ir::Domain::Event ? event_memo_ : lead_memo_;
    if (memo[static_cast<std::size_t>(id)] != kNone) return memo[static_cast<std::size_t>(id)];
    const ir::Node& in = p_.nodes[static_cast<std::size_t>(id)];
    NodeIndex result;
    switch (in.op) {
      case Op::SectionRef: result = section(static_cast<std::size_t>(in.index)); break;
      case Op::GateRef: result = gate(static_cast<std::size_t>(in.index)); break;
      case Op::ClassifyRef: result = classify(static_cast<std::size_t>(in.index)); break;
      case Op::ScoreRef: result = score(); break;
      case Op::MqlRef: result = mql(); break;
      default: {
        Node n;
        n.op = in.op;
        n.type = in.type;
        n.operand_type = in.operand_type;
        n.pos = in.pos;
        n.constant = in.constant;
        n.index = in.index;
        for (int k = 0; k < 3; ++k)
          if (in.args[static_cast<std::size_t>(k)] != ir::kNoNode) n.args[static_cast<std::size_t>(k)] = emit(in.args[static_cast<std::size_t>(k)], d);
        switch (in.op) {
          case Op::LeadField: g_.lead_field_used[static_cast<std::size_t>(in.index)] = true; break;
          case Op::AccountField: g_.account_field_used[static_cast<std::size_t>(in.index)] = true; break;
          case Op::EventField: g_.activity_field_used[static_cast<std::size_t>(in.index)] = true; break;
          case Op::InList:
          case Op::NotInList:
          case Op::ContainsAny: n.index = list(in.index); break;
          case Op::AggCount:
          case Op::AggExists:
          case Op::AggSum:
          case Op::AggDaysSinceLast: n.index = slot(in.index); break;
          default: break;
        }
        result = intern(std::move(n), d);
      }
    }
    memo[static_cast<std::size_t>(id)] = result;
    return result;
  }

  NodeIndex section(std::size_t s) {
    if (section_value_[s] != kNone) return section_value_[s];
    const ir::Section& in = p_.sections[s];
    SectionPlan plan;
    plan.account = in.account;
    plan.name = in.name;
    plan.max = in.max;
    plan.min = in.min;
    for (const auto& r : in.rules) {
      RulePlan rule{r.label, r.label_pos, -1, r.each, kNone, -1, r.points, r.cap, r.leads_aggregate};
      if (!r.each) rule.condition = emit(r.condition, ir::Domain::Lead);
      else if (r.leads_aggregate < 0) rule.slot = slot(r.aggregate);  // `each lead` reads its account aggregate
      plan.rules.push_back(std::move(rule));
    }
    for (const auto& m : in.multipliers)
      plan.multipliers.push_back(MultiplierPlan{m.label, m.label_pos, -1, emit(m.condition, ir::Domain::Lead), m.factor});
    Node n;
    n.kind = Kind::SectionValue;
    n.type = Type::Number;
    n.index = static_cast<std::int32_t>(s);
    n.pos = in.pos;
    plan.value = append(std::move(n), ir::Domain::Lead);
    g_.sections[s] = std::move(plan);
    return section_value_[s] = g_.sections[s].value;
  }

  NodeIndex score() {
    if (g_.score != kNone) return g_.score;
    for (std::size_t s = 0; s < p_.sections.size(); ++s) section(s);
    Node n;
    n.kind = Kind::ScoreValue;
    n.type = Type::Number;
    g_.score = append(std::move(n), ir::Domain::Lead);
    return g_.score;
  }

  NodeIndex mql() {
    if (g_.has_mql) return g_.mql;
    Node n;
    n.kind = Kind::MqlValue;
    n.type = Type::Bool;
    n.args[0] = emit(p_.mql, ir::Domain::Lead);
    g_.mql = append(std::move(n), ir::Domain::Lead);
    g_.has_mql = true;
    return g_.mql;
  }

  NodeIndex gate(std::size_t gi) {
    if (gate_value_[gi] != kNone) return gate_value_[gi];
    const ir::Gate& in = p_.gates[gi];
    GatePlan plan;
    plan.account = in.account;
    plan.name = in.name;
    for (const auto& c : in.criteria) plan.criteria.push_back(CriterionPlan{c.label, -1, emit(c.condition, ir::Domain::Lead)});
    Node n;
    n.kind = Kind::GateValue;
    n.type = Type::Bool;
    n.index = static_cast<std::int32_t>(gi);
    n.pos = in.pos;
    plan.value = append(std::move(n), ir::Domain::Lead);
    g_.gates[gi] = std::move(plan);
    return gate_value_[gi] = g_.gates[gi].value;
  }

  void handoff(const ir::Handoff& h) {
    for (const auto& r : h.routes) {
      g_.routes.push_back(RoutePlan{r.label, r.condition == ir::kNoNode ? kNone : emit(r.condition, ir::Domain::Lead)});
      if (r.owner_field >= 0) g_.lead_field_used[static_cast<std::size_t>(r.owner_field)] = true;
    }
    if (!h.routes.empty()) {
      Node n;
      n.kind = Kind::RouteValue;
      n.type = Type::String;
      n.pos = h.pos;
      g_.route = append(std::move(n), ir::Domain::Lead);
    }
    for (const auto& r : h.responses) {
      ResponsePlan plan;
      if (r.aggregate >= 0) plan.slot = slot(r.aggregate);
      if (r.condition != ir::kNoNode) plan.condition = emit(r.condition, ir::Domain::Lead);
      plan.at_field = r.at_field;
      if (r.at_field >= 0) g_.lead_field_used[static_cast<std::size_t>(r.at_field)] = true;
      g_.responses.push_back(plan);
    }
  }

  NodeIndex classify(std::size_t c) {
    if (classify_value_[c] != kNone) return classify_value_[c];
    const ir::Classify& in = p_.classifies[c];
    ClassifyPlan plan;
    plan.account = in.account;
    plan.name = in.name;
    for (const auto& b : in.branches)
      plan.branches.push_back(
          BranchPlan{b.value, b.condition == ir::kNoNode ? kNone : emit(b.condition, ir::Domain::Lead)});
    Node n;
    n.kind = Kind::ClassifyValue;
    n.type = Type::String;
    n.index = static_cast<std::int32_t>(c);
    n.pos = in.pos;
    plan.value = append(std::move(n), ir::Domain::Lead);
    g_.classifies[c] = std::move(plan);
    return classify_value_[c] = g_.classifies[c].value;
  }
};

}  // namespace

std::vector<std::uint8_t> needed_nodes(const Graph& graph, const std::vector<NodeIndex>& roots) {
  std::vector<std::uint8_t> needed(graph.lead_nodes.size(), 0);
  auto mark = [&](NodeIndex n) {
    if (n != kNone) needed[static_cast<std::size_t>(n)] = 1;
  };
  for (NodeIndex r : roots) mark(r);
  // Every node's inputs come before it, so one sweep from the end marks them all.
  for (std::size_t i = needed.size(); i-- > 0;) {
    if (!needed[i]) continue;
    const Node& node = graph.lead_nodes[i];
    for (NodeIndex a : node.args) mark(a);
    switch (node.kind) {
      case Kind::SectionValue: {
        const auto& s = graph.sections[static_cast<std::size_t>(node.index)];
        for (const auto& r : s.rules) mark(r.condition);
        for (const auto& m : s.multipliers) mark(m.condition);
        break;
      }
      case Kind::ScoreValue:
        for (const auto& s : graph.sections)
          if (!s.account) mark(s.value);
        break;
      case Kind::GateValue:
        for (const auto& c : graph.gates[static_cast<std::size_t>(node.index)].criteria) mark(c.condition);
        break;
      case Kind::ClassifyValue:
        for (const auto& b : graph.classifies[static_cast<std::size_t>(node.index)].branches) mark(b.condition);
        break;
      case Kind::MqlValue: break;  // its condition is args[0]
      case Kind::RouteValue:
        for (const auto& r : graph.routes) mark(r.condition);
        break;
      case Kind::Expr: break;  // an AccountAgg reads the values computed before scoring
    }
  }
  return needed;
}

Graph compile(const ir::Program& program, const ConstantFolder& fold) { return Compiler(program, fold).run(); }

}  // namespace leadscore::engine
