#include "jobs/why_not.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "io/number_format.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

namespace {

class WhyNotBuilder {
 public:
  WhyNotBuilder(const PreparedRun& run, const ExpressionText& text, const LeadRecord& record)
      : g_(run.graph), p_(run.program), text_(text), record_(record) {}

  // The conjuncts of a condition, each explained.
  std::vector<ConditionPart> conjuncts(NodeIndex condition) const {
    std::vector<NodeIndex> nodes;
    flatten(condition, Op::And, nodes);
    std::vector<ConditionPart> parts;
    for (NodeIndex n : nodes) parts.push_back(part(n));
    return parts;
  }

  ConditionPart gate_part(std::size_t gate) const {
    const GatePlan& plan = g_.gates[gate];
    ConditionPart part;
    part.condition = plan.name;
    part.truth = record_.gates[gate] ? kTrue : kFalse;
    std::size_t failing = 0;
    for (const auto& c : plan.criteria) {
      ConditionPart criterion = part_of(c.condition);
      criterion.condition = c.label;
      failing += criterion.truth != kTrue;
      part.parts.push_back(std::move(criterion));
    }
    part.detail = part.truth == kTrue ? fmt::format("gate {}: every criterion holds", plan.name)
                                      : fmt::format("gate {}: {} of {} criteria {}", plan.name, failing,
                                                    plan.criteria.size(), failing == 1 ? "fails" : "fail");
    return part;
  }

 private:
  const Graph& g_;
  const ir::Program& p_;
  const ExpressionText& text_;
  const LeadRecord& record_;

  const Node& node(NodeIndex n) const { return g_.lead_nodes[static_cast<std::size_t>(n)]; }

  void flatten(NodeIndex n, Op op, std::vector<NodeIndex>& out) const {
    const Node& nd = node(n);
    if (nd.kind == Kind::Expr && nd.op == op) {
      flatten(nd.args[0], op, out);
      flatten(nd.args[1], op, out);
    } else {
      out.push_back(n);
    }
  }

  ConditionPart part(NodeIndex n) const {
    ConditionPart p = part_of(n);
    p.condition = text_.source(n);
    return p;
  }

  ConditionPart part_of(NodeIndex n) const {
    const Node& nd = node(n);
    if (nd.kind == Kind::GateValue) return gate_part(static_cast<std::size_t>(nd.index));
    ConditionPart p;
    p.condition = text_.source(n);
    p.truth = text_.truth(n);
    if (nd.kind == Kind::Expr && nd.op == Op::Or) {
      std::vector<NodeIndex> alternatives;
      flatten(n, Op::Or, alternatives);
      for (NodeIndex a : alternatives) p.parts.push_back(part(a));
      p.detail = p.truth == kTrue ? "one alternative holds"
                 : p.truth == kFalse ? "no alternative holds"
                                     : "no alternative holds, and some are unknown";
      return p;
    }
    if (nd.kind == Kind::Expr && nd.op == Op::And) {
      p.parts = conjuncts(n);
      p.detail = text_.with_values(n);
      return p;
    }
    if (p.truth == kUnknown) {
      collect_missing(n, p.missing);
      p.detail = p.missing.empty() ? text_.with_values(n) + ": unknown"
                                   : fmt::format("unknown: {}", missing_text(p.missing));
      return p;
    }
    if (comparison(nd, p)) return p;
    p.detail = text_.with_values(n);
    return p;
  }

  // A number compared with another: the values and how far from holding.
  bool comparison(const Node& nd, ConditionPart& p) const {
    if (nd.kind != Kind::Expr || nd.operand_type != Type::Number) return false;
    if (nd.op != Op::Ge && nd.op != Op::Gt && nd.op != Op::Le && nd.op != Op::Lt && nd.op != Op::Between) return false;
    auto number = [&](NodeIndex a) -> std::optional<double> {
      for (int k = 1; k < 3; ++k)
        if (nd.args[static_cast<std::size_t>(k)] == a)
          if (auto v = text_.adopted(text_index(nd), k)) return v;
      const Node& arg = node(a);
      if (arg.kind == Kind::Expr && arg.op == Op::Const)
        return arg.constant.missing ? std::nullopt : std::optional<double>(arg.constant.number);
      return std::nullopt;
    };
    NodeIndex subject = nd.args[0];
    std::optional<double> low = number(nd.args[1]), high = nd.op == Op::Between ? number(nd.args[2]) : std::nullopt;
    if (!low) return false;
    if (!text_.present(subject)) return false;
    const double value = text_.number(subject);
    p.value = value;
    std::string who = text_.source(subject);
    std::string unit = is_score(subject) ? " points" : "";
    std::string shown = io::format_number(value);
    double gap = 0;
    std::string words;
    switch (nd.op) {
      case Op::Ge:
        p.threshold = *low;
        gap = std::max(0.0, *low - value);
        words = gap > 0 ? fmt::format("{} short of {}", io::format_number(gap) + unit, io::format_number(*low)) : "";
        break;
      case Op::Gt:
        p.threshold = *low;
        gap = value > *low ? 0.0 : *low - value;
        words = value > *low ? ""
                : gap == 0   ? fmt::format("equal to {}, must be above it", io::format_number(*low))
                             : fmt::format("{} short of more than {}", io::format_number(gap) + unit, io::format_number(*low));
        break;
      case Op::Le:
        p.threshold = *low;
        gap = std::max(0.0, value - *low);
        words = gap > 0 ? fmt::format("{} over {}", io::format_number(gap) + unit, io::format_number(*low)) : "";
        break;
      case Op::Lt:
        p.threshold = *low;
        gap = value < *low ? 0.0 : value - *low;
        words = value < *low ? ""
                : gap == 0   ? fmt::format("equal to {}, must be below it", io::format_number(*low))
                             : fmt::format("{} over less than {}", io::format_number(gap) + unit, io::format_number(*low));
        break;
      case Op::Between:
        if (!high) return false;
        p.threshold = value < *low ? *low : *high;
        gap = value < *low ? *low - value : value > *high ? value - *high : 0.0;
        words = value < *low   ? fmt::format("{} below {}", io::format_number(gap) + unit, io::format_number(*low))
                : value > *high ? fmt::format("{} above {}", io::format_number(gap) + unit, io::format_number(*high))
                                : "";
        break;
      default: return false;
    }
    p.gap = gap;
    p.detail = words.empty() ? text_.with_values(text_index(nd)) : fmt::format("{} = {}: {}", who, shown, words);
    return true;
  }

  // The index of a node object of the lead graph.
  NodeIndex text_index(const Node& nd) const { return static_cast<NodeIndex>(&nd - g_.lead_nodes.data()); }

  bool is_score(NodeIndex n) const {
    const Node& nd = node(n);
    return nd.kind == Kind::SectionValue || nd.kind == Kind::ScoreValue;
  }

  // Lead fields (and activity aggregates without a matching event) that are missing under `n`.
  void collect_missing(NodeIndex n, std::vector<std::string>& out) const {
    const Node& nd = node(n);
    if (nd.kind != Kind::Expr) return;
    auto add = [&](std::string what) {
      if (std::find(out.begin(), out.end(), what) == out.end()) out.push_back(std::move(what));
    };
    switch (nd.op) {
      case Op::LeadField:
        if (!text_.present(n)) add(p_.lead_fields[static_cast<std::size_t>(nd.index)].name);
        return;
      case Op::AggDaysSinceLast:
        if (!text_.present(n)) add(text_.source(n) + " (no matching activity)");
        return;
      default:
        for (NodeIndex a : nd.args)
          if (a != kNone) collect_missing(a, out);
    }
  }

  std::string missing_text(const std::vector<std::string>& missing) const {
    std::string out;
    for (std::size_t i = 0; i < missing.size(); ++i) {
      if (i) out += i + 1 == missing.size() ? " and " : ", ";
      out += missing[i];
    }
    bool fields_only = std::none_of(missing.begin(), missing.end(),
                                    [](const std::string& m) { return m.find('(') != std::string::npos; });
    return out + (fields_only ? (missing.size() == 1 ? " is missing (an empty or unreadable cell)"
                                                     : " are missing (empty or unreadable cells)")
                              : " missing");
  }
};

std::string truth_word(std::int8_t t) { return t == kTrue ? "yes" : t == kFalse ? "no" : "unknown"; }

// Top-level parts are all shown (what holds matters to a reader too); below a failed part, only
// what failed or is unknown.
void part_lines(std::string& out, const ConditionPart& p, int depth) {
  std::string indent(static_cast<std::size_t>(2 + depth * 9), ' ');
  out += fmt::format("{}{:>7}  {:<28} {}\n", indent, truth_word(p.truth), p.condition, p.detail);
  if (p.truth == kTrue) return;
  for (const auto& child : p.parts)
    if (child.truth != kTrue) part_lines(out, child, depth + 1);
}

}  // namespace

std::optional<WhyNot> why_not(const PreparedRun& run, const ExpressionText& text, const LeadRecord& record,
                              const std::string& target, std::string& error) {
  const Graph& g = run.graph;
  WhyNotBuilder builder(run, text, record);
  WhyNot w;
  if (target == "mql") {
    if (!g.has_mql) {
      error = "this ruleset has no `mql when ...` declaration";
      return std::nullopt;
    }
    NodeIndex condition = g.lead_nodes[static_cast<std::size_t>(g.mql)].args[0];
    w.target = "mql";
    w.condition = text.source(condition);
    w.holds = record.mql;
    w.parts = builder.conjuncts(condition);
    return w;
  }
  for (std::size_t gi = 0; gi < g.gates.size(); ++gi)
    if (g.gates[gi].name == target) {
      w.target = "gate " + target;
      w.holds = record.gates[gi];
      w.parts = builder.gate_part(gi).parts;
      for (std::size_t i = 0; i < g.gates[gi].criteria.size(); ++i)
        w.condition += (i ? "; " : "") + g.gates[gi].criteria[i].label;
      return w;
    }
  std::string classify_name, value = target;
  if (auto eq = target.find('='); eq != std::string::npos) {
    classify_name = target.substr(0, eq);
    value = target.substr(eq + 1);
  }
  std::vector<std::pair<std::size_t, std::size_t>> found;  // classify, branch
  std::vector<std::string> choices{"mql"};
  for (const auto& gate : g.gates) choices.push_back(gate.name);
  for (std::size_t c = 0; c < g.classifies.size(); ++c)
    for (std::size_t b = 0; b < g.classifies[c].branches.size(); ++b) {
      choices.push_back(g.classifies[c].branches[b].value);
      if (g.classifies[c].branches[b].value == value && (classify_name.empty() || classify_name == g.classifies[c].name))
        found.emplace_back(c, b);
    }
  if (found.size() != 1) {
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    error = found.empty() ? fmt::format("--why-not \"{}\": no MQL, gate or classify value of that name; choose from {}",
                                        target, list)
                          : fmt::format("--why-not \"{}\": the value is in several classifies; write CLASSIFY={}",
                                        target, value);
    return std::nullopt;
  }
  auto [c, b] = found[0];
  const ClassifyPlan& plan = g.classifies[c];
  const auto& branch = plan.branches[b];
  w.target = fmt::format("{} \"{}\"", plan.name, branch.value);
  std::int32_t chosen = record.classify_branch[c];
  w.holds = chosen == static_cast<std::int32_t>(b);
  if (branch.condition == kNone) {
    w.condition = "otherwise";
  } else {
    w.condition = text.source(branch.condition);
    w.parts = builder.conjuncts(branch.condition);
  }
  if (!w.holds && chosen >= 0 && chosen < static_cast<std::int32_t>(b))
    w.note = fmt::format("the lead is \"{}\", an earlier branch of {} (the first branch that holds wins)",
                         plan.branches[static_cast<std::size_t>(chosen)].value, plan.name);
  return w;
}

std::string why_not_text(const WhyNot& w) {
  std::string out;
  if (w.holds) {
    out += fmt::format("why not {}: it is ({})\n", w.target, w.condition);
    return out;
  }
  out += fmt::format("why not {}: {}\n", w.target, w.condition);
  if (!w.note.empty()) out += fmt::format("  {}\n", w.note);
  for (const auto& p : w.parts) part_lines(out, p, 0);
  return out;
}

}  // namespace leadscore::jobs
