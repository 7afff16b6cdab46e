// `leadscore explain`: every section, rule, multiplier, clamp, gate criterion, the MQL decision and
// the classify branch of one lead, with the values that decided them. Values come from the same
// batch evaluation that `score` runs, so the numbers always agree.
#include "jobs/explain.hpp"

#include <fmt/format.h>

#include "jobs/result_writer.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
namespace {

class Explainer {
 public:
  Explainer(const PreparedRun& run, std::size_t ordinal)
      : run_(run), g_(run.graph), p_(run.program), ordinal_(ordinal), state_(run.graph, false) {
    row_ = evaluate_batch_of(run, ordinal, state_);
  }

  std::string text() const {
    std::string out = fmt::format("lead {} (line {} of the leads file) as of {}\n", run_.leads.ids[ordinal_],
                                  run_.leads.lines[ordinal_], io::format_timestamp(run_.leads.as_of[ordinal_]));
    if (run_.weights && p_.calibration_path)
      out += fmt::format("points are calibrated, from {} (written points are in the rules file)\n", *p_.calibration_path);
    for (const auto& s : g_.sections) {
      out += fmt::format("\n{} = {}{}{}\n", s.name, number(state_.view(s.value).num[row_]),
                         s.max ? fmt::format("  (max {})", io::format_number(*s.max)) : "",
                         s.min ? fmt::format("  (min {})", io::format_number(*s.min)) : "");
      double sum = 0, factor = 1;
      for (const auto& r : s.rules) {
        double v = rule_contribution(r, row_, ordinal_, state_, run_.aggregates);
        sum += v;
        std::string mark = v != 0 ? signed_number(v) : (r.each ? "+0" : "  .");
        out += fmt::format("  {:>7}  {:<28} {}\n", mark, r.label, rule_detail(r));
      }
      for (const auto& m : s.multipliers) {
        bool applies = truth(m.condition) == kTrue;
        if (applies) factor *= m.factor;
        out += fmt::format("  {:>7}  {:<28} {}\n", applies ? "x" + io::format_number(m.factor) : "  .", m.label,
                           describe(m.condition));
      }
      double value = state_.view(s.value).num[row_];
      out += fmt::format("  {:>7}  sum {}{}", "=", number(sum), factor != 1 ? fmt::format(" x {}", number(factor)) : "");
      if (s.max && value == *s.max && sum * factor > *s.max) out += fmt::format(", capped at max {}", number(*s.max));
      if (s.min && value == *s.min && sum * factor < *s.min) out += fmt::format(", raised to min {}", number(*s.min));
      out += fmt::format(" = {}\n", number(value));
    }
    out += fmt::format("\nscore = {}\n", number(state_.view(g_.score).num[row_]));
    for (const auto& gate : g_.gates) {
      bool pass = truth(gate.value) == kTrue;
      out += fmt::format("\ngate {} = {}\n", gate.name, pass ? "true" : "false");
      for (const auto& c : gate.criteria) {
        std::int8_t t = truth(c.condition);
        out += fmt::format("  {:>7}  {:<28} {}{}\n", t == kTrue ? "yes" : t == kFalse ? "no" : "unknown", c.label,
                           describe(c.condition), t == kTrue ? "" : "   <- fails");
      }
    }
    if (g_.has_mql) {
      const Node& m = g_.lead_nodes[static_cast<std::size_t>(g_.mql)];
      out += fmt::format("\nmql = {}   {}\n", truth(g_.mql) == kTrue ? "true" : "false", describe(m.args[0]));
    }
    for (std::size_t c = 0; c < g_.classifies.size(); ++c) {
      const auto& plan = g_.classifies[c];
      std::int32_t branch = state_.classify_branch(c)[row_];
      out += fmt::format("\n{} = {}\n", plan.name,
                         branch >= 0 ? fmt::format("\"{}\"", plan.branches[static_cast<std::size_t>(branch)].value)
                                     : std::string("(no branch applies: empty)"));
      for (std::size_t b = 0; b < plan.branches.size(); ++b) {
        const auto& br = plan.branches[b];
        std::string mark = static_cast<std::int32_t>(b) == branch ? "->" : "";
        out += fmt::format("  {:>7}  {:<28} {}\n", mark, fmt::format("\"{}\"", br.value),
                           br.condition == kNone ? "otherwise" : describe(br.condition));
        if (static_cast<std::int32_t>(b) == branch) break;
      }
    }
    return out;
  }

  std::string json() const {
    std::string out = fmt::format("{{\"lead\":\"{}\",\"line\":{},\"as_of\":\"{}\",\"sections\":[",
                                  json_escape(run_.leads.ids[ordinal_]), run_.leads.lines[ordinal_],
                                  io::format_timestamp(run_.leads.as_of[ordinal_]));
    bool first_section = true;
    for (const auto& s : g_.sections) {
      out += first_section ? "" : ",";
      first_section = false;
      out += fmt::format("{{\"name\":\"{}\",\"value\":{},\"rules\":[", json_escape(s.name), number(state_.view(s.value).num[row_]));
      for (std::size_t i = 0; i < s.rules.size(); ++i) {
        const auto& r = s.rules[i];
        double v = rule_contribution(r, row_, ordinal_, state_, run_.aggregates);
        out += fmt::format("{}{{\"label\":\"{}\",\"fired\":{},\"points\":{},\"contribution\":{},\"detail\":\"{}\"}}",
                           i ? "," : "", json_escape(r.label), v != 0 ? "true" : "false", number(r.points), number(v),
                           json_escape(rule_detail(r)));
      }
      out += "],\"multipliers\":[";
      for (std::size_t i = 0; i < s.multipliers.size(); ++i) {
        const auto& m = s.multipliers[i];
        out += fmt::format("{}{{\"label\":\"{}\",\"applies\":{},\"factor\":{},\"detail\":\"{}\"}}", i ? "," : "",
                           json_escape(m.label), truth(m.condition) == kTrue ? "true" : "false", number(m.factor),
                           json_escape(describe(m.condition)));
      }
      out += "]}";
    }
    out += fmt::format("],\"score\":{},", number(state_.view(g_.score).num[row_]));
    if (run_.weights && p_.calibration_path)
      out += fmt::format("\"calibration\":\"{}\",", json_escape(*p_.calibration_path));
    out += "\"gates\":[";
    for (std::size_t gi = 0; gi < g_.gates.size(); ++gi) {
      const auto& gate = g_.gates[gi];
      out += fmt::format("{}{{\"name\":\"{}\",\"value\":{},\"criteria\":[", gi ? "," : "", json_escape(gate.name),
                         truth(gate.value) == kTrue ? "true" : "false");
      for (std::size_t i = 0; i < gate.criteria.size(); ++i) {
        const auto& c = gate.criteria[i];
        std::int8_t t = truth(c.condition);
        out += fmt::format("{}{{\"label\":\"{}\",\"value\":{},\"detail\":\"{}\"}}", i ? "," : "", json_escape(c.label),
                           t == kTrue ? "true" : t == kFalse ? "false" : "null", json_escape(describe(c.condition)));
      }
      out += "]}";
    }
    out += "]";
    if (g_.has_mql) out += fmt::format(",\"mql\":{}", truth(g_.mql) == kTrue ? "true" : "false");
    out += ",\"classify\":[";
    for (std::size_t c = 0; c < g_.classifies.size(); ++c) {
      std::int32_t branch = state_.classify_branch(c)[row_];
      const auto& plan = g_.classifies[c];
      out += fmt::format("{}{{\"name\":\"{}\",\"value\":{},\"branch\":{}}}", c ? "," : "", json_escape(plan.name),
                         branch >= 0 ? fmt::format("\"{}\"", json_escape(plan.branches[static_cast<std::size_t>(branch)].value))
                                     : "null",
                         branch >= 0 ? std::to_string(branch + 1) : "null");
    }
    out += "]}\n";
    return out;
  }

 private:
  const PreparedRun& run_;
  const Graph& g_;
  const ir::Program& p_;
  std::size_t ordinal_;
  BatchState state_;
  std::size_t row_ = 0;

  static std::string number(double v) { return io::format_number(v); }
  static std::string signed_number(double v) { return (v > 0 ? "+" : "") + io::format_number(v); }
  std::int8_t truth(NodeIndex n) const { return state_.view(n).truth[row_]; }

  std::string rule_detail(const RulePlan& r) const {
    if (!r.each) return describe(r.condition);
    const auto& slot = g_.slots[static_cast<std::size_t>(r.slot)];
    double amount = run_.aggregates.value(static_cast<std::size_t>(r.slot), ordinal_);
    std::string what = slot_text(slot);
    std::string out = slot.kind == ir::AggregateKind::DecaySum
                          ? fmt::format("{}: decayed count {} x {} = {}", what, number(amount), number(r.points),
                                        number(amount * r.points))
                          : fmt::format("{}: {} events x {} = {}", what, number(amount), number(r.points),
                                        number(amount * r.points));
    if (r.cap) out += fmt::format(" (max {})", number(*r.cap));
    return out;
  }

  std::string slot_text(const SlotPlan& slot) const {
    std::string s = "activity";
    if (slot.filter != kNone) s += " where " + event_text(slot.filter);
    if (slot.within) s += " within " + duration_text(*slot.within);
    if (slot.kind == ir::AggregateKind::DecaySum) s += " decay " + duration_text(static_cast<std::int64_t>(slot.half_life));
    return s;
  }

  static std::string duration_text(std::int64_t micros) {
    std::int64_t hours = micros / 3'600'000'000LL;
    if (hours % (24 * 7) == 0) return fmt::format("{}w", hours / (24 * 7));
    if (hours % 24 == 0) return fmt::format("{}d", hours / 24);
    return fmt::format("{}h", hours);
  }

  std::string event_text(NodeIndex n) const {
    const Node& node = g_.event_nodes[static_cast<std::size_t>(n)];
    auto arg = [&](int k) { return event_text(node.args[static_cast<std::size_t>(k)]); };
    switch (node.op) {
      case Op::Const: return constant_text(node);
      case Op::EventField: return p_.activity_fields[static_cast<std::size_t>(node.index)].name;
      default: return operator_text(node, arg);
    }
  }

  static std::string constant_text(const Node& node) {
    if (node.constant.missing) return "missing";
    switch (node.type) {
      case Type::Number: return io::format_number(node.constant.number);
      case Type::String: return fmt::format("\"{}\"", node.constant.text);
      case Type::Bool: return node.constant.boolean ? "true" : "false";
      case Type::Instant: return io::format_timestamp(node.constant.instant);
      default: return "?";
    }
  }

  template <typename Arg>
  std::string operator_text(const Node& node, Arg arg) const {
    auto list_text = [&] {
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
      case Op::DaysSince: return fmt::format("{}({})", ir::op_name(node.op), arg(0));
      default: return fmt::format("{} {} {}", arg(0), ir::op_name(node.op), arg(1));
    }
  }

  std::string value_text(NodeIndex n) const {
    const Node& node = g_.lead_nodes[static_cast<std::size_t>(n)];
    const ColumnView& v = state_.view(n);
    if (node.type == Type::Bool)
      return v.truth[row_] == kTrue ? "true" : v.truth[row_] == kFalse ? "false" : "unknown";
    if (!v.valid[row_]) return "missing";
    switch (node.type) {
      case Type::Number: return io::format_number(v.num[row_]);
      case Type::String: return fmt::format("\"{}\"", v.str[row_]);
      case Type::Instant: return io::format_timestamp(v.time[row_]);
      default: return "?";
    }
  }

  // The expression with the lead's values: `employees = 12000 >= 5000 -> true`.
  std::string describe(NodeIndex n) const { return expression_text(n) + "  ->  " + value_text(n); }

  std::string expression_text(NodeIndex n) const {
    const Node& node = g_.lead_nodes[static_cast<std::size_t>(n)];
    auto arg = [&](int k) { return expression_text(node.args[static_cast<std::size_t>(k)]); };
    switch (node.kind) {
      case Kind::SectionValue:
        return fmt::format("{} = {}", g_.sections[static_cast<std::size_t>(node.index)].name, value_text(n));
      case Kind::ScoreValue: return fmt::format("score = {}", value_text(n));
      case Kind::GateValue: return fmt::format("{} = {}", g_.gates[static_cast<std::size_t>(node.index)].name, value_text(n));
      case Kind::ClassifyValue:
        return fmt::format("{} = {}", g_.classifies[static_cast<std::size_t>(node.index)].name, value_text(n));
      case Kind::MqlValue: return fmt::format("mql = {}", value_text(n));
      case Kind::Expr: break;
    }
    switch (node.op) {
      case Op::Const: return constant_text(node);
      case Op::LeadField:
        return fmt::format("{} = {}", p_.lead_fields[static_cast<std::size_t>(node.index)].name, value_text(n));
      case Op::AggCount:
      case Op::AggExists:
      case Op::AggSum:
      case Op::AggDaysSinceLast: {
        const auto& slot = g_.slots[static_cast<std::size_t>(node.index)];
        std::string inner = slot_text(slot);
        if (slot.kind == ir::AggregateKind::Sum)
          inner = fmt::format("activity.{}{}", p_.activity_fields[static_cast<std::size_t>(slot.sum_field)].name,
                              inner.substr(8));
        return fmt::format("{}({}) = {}", ir::op_name(node.op), inner, value_text(n));
      }
      default: {
        std::string text = operator_text(node, arg);
        if (node.type != Type::Bool) text += " = " + value_text(n);
        return text;
      }
    }
  }
};

}  // namespace

std::string explain_lead(const PreparedRun& run, std::size_t ordinal, bool json) {
  Explainer e(run, ordinal);
  return json ? e.json() : e.text();
}

bool run_explain(const ExplainRequest& request, Diagnostics& diags, std::string& out, std::string& error) {
  PreparedRun run;
  if (!prepare_run(request.inputs, diags, run, error)) return false;
  std::int32_t ordinal = run.leads.index.find(request.lead_id);
  if (ordinal < 0) {
    error = fmt::format("lead \"{}\" is not in {} (or its row was rejected)", request.lead_id, request.inputs.leads);
    return false;
  }
  out = explain_lead(run, static_cast<std::size_t>(ordinal), request.json);
  return true;
}

}  // namespace leadscore::jobs
