// `leadscore explain`: every section, rule, multiplier, limit, gate criterion, the MQL decision and
// the classify branch of one lead, read from the outcome record of the same batch evaluation that
// `score` runs, so the numbers always agree; and, for a lead that is not MQL (or with --why-not),
// which parts of the condition failed and by how much.
#include "jobs/explain.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/exec/outcome.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"
#include "jobs/account_results.hpp"
#include "jobs/expression_text.hpp"
#include "jobs/why_not.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using Json = nlohmann::ordered_json;

namespace {

// Numbers as `score` writes them (2 decimals), as JSON numbers: whole numbers without a fraction.
Json json_number(double v) {
  double rounded = std::strtod(io::format_number(v).c_str(), nullptr);
  if (std::isfinite(rounded) && rounded == std::trunc(rounded) && std::fabs(rounded) < 9e15)
    return Json(static_cast<std::int64_t>(rounded));
  return Json(rounded);
}

Json truth_json(std::int8_t t) { return t == kTrue ? Json(true) : t == kFalse ? Json(false) : Json(nullptr); }

const char* limit_name(Limit limit) {
  switch (limit) {
    case Limit::Max: return "max";
    case Limit::Min: return "min";
    case Limit::None: break;
  }
  return nullptr;
}

Json part_json(const ConditionPart& p) {
  Json j;
  j["condition"] = p.condition;
  j["value"] = truth_json(p.truth);
  j["detail"] = p.detail;
  if (p.value) j["lead_value"] = json_number(*p.value);
  if (p.threshold) j["threshold"] = json_number(*p.threshold);
  if (p.gap) j["gap"] = json_number(*p.gap);
  if (!p.missing.empty()) j["missing"] = p.missing;
  if (!p.parts.empty()) {
    j["parts"] = Json::array();
    for (const auto& child : p.parts) j["parts"].push_back(part_json(child));
  }
  return j;
}

Json why_not_json(const WhyNot& w) {
  Json j;
  j["target"] = w.target;
  j["condition"] = w.condition;
  j["holds"] = w.holds;
  if (!w.note.empty()) j["note"] = w.note;
  j["parts"] = Json::array();
  for (const auto& p : w.parts) j["parts"].push_back(part_json(p));
  return j;
}

class Explainer {
 public:
  // `account_view`: only the account's items (its sections, gates, mqa, classify), read from this lead.
  Explainer(const PreparedRun& run, std::size_t ordinal, bool account_view = false)
      : run_(run), g_(run.graph), p_(run.program), ordinal_(ordinal), account_view_(account_view),
        state_(run.graph, false), text_(run, state_, 0) {
    BatchInput batch = evaluate_leads(run, ordinal, 1, state_);
    record_lead(g_, run.points, batch, state_, 0, record_);
  }

  std::optional<WhyNot> why_not_of(const std::optional<std::string>& target, std::string& error) const {
    if (target) return why_not(run_, text_, record_, *target, error);
    if (g_.has_mql && !record_.mql) return why_not(run_, text_, record_, "mql", error);
    return std::nullopt;
  }

  std::string text(const std::optional<WhyNot>& why) const {
    std::string out = account_view_ ? std::string()
                                    : fmt::format("lead {} (line {} of the leads file) as of {}\n", run_.leads.ids[ordinal_],
                                                  run_.leads.lines[ordinal_], io::format_timestamp(run_.leads.as_of[ordinal_]));
    if (run_.weights && p_.calibration_path) {
      out += fmt::format("points are calibrated, from {} (written points are in the rules file)\n", *p_.calibration_path);
      const std::string adopted = adopted_text();
      if (!adopted.empty()) out += "adopted for the calibrated points (written -> adopted): " + adopted + "\n";
    }
    for (std::size_t si = 0; si < g_.sections.size(); ++si) {
      const auto& s = g_.sections[si];
      if (account_view_ && !s.account) continue;
      const SectionOutcome& so = record_.sections[si];
      const SectionLimits& limits = run_.limits[si];
      out += fmt::format("\n{} = {}{}{}\n", s.name, number(so.value), limit_note("max", s.max, limits.max),
                         limit_note("min", s.min, limits.min));
      for (const auto& r : s.rules) {
        const RuleOutcome& o = rule(r);
        std::string mark = o.fired ? signed_number(o.contribution) : "  .";  // as in the reasons
        out += fmt::format("  {:>7}  {:<28} {}\n", mark, r.label, rule_detail(r));
      }
      for (const auto& m : s.multipliers) {
        bool applies = record_.multipliers[static_cast<std::size_t>(m.ordinal)].applied;
        out += fmt::format("  {:>7}  {:<28} {}\n", applies ? "x" + io::format_number(m.factor) : "  .", m.label,
                           text_.describe(m.condition));
      }
      out += fmt::format("  {:>7}  sum {}{}", "=", number(so.sum), so.factor != 1 ? fmt::format(" x {}", number(so.factor)) : "");
      if (so.limit == Limit::Max) out += fmt::format(", capped at max {}", number(*limits.max));
      if (so.limit == Limit::Min) out += fmt::format(", raised to min {}", number(*limits.min));
      out += fmt::format(" = {}\n", number(so.value));
    }
    if (!account_view_) out += fmt::format("\nscore = {}\n", number(record_.score));
    for (std::size_t gi = 0; gi < g_.gates.size(); ++gi) {
      const auto& gate = g_.gates[gi];
      if (account_view_ && !gate.account) continue;
      out += fmt::format("\ngate {} = {}\n", gate.name, record_.gates[gi] ? "true" : "false");
      for (const auto& c : gate.criteria) {
        std::int8_t t = record_.criteria[static_cast<std::size_t>(c.ordinal)];
        out += fmt::format("  {:>7}  {:<28} {}{}\n", t == kTrue ? "yes" : t == kFalse ? "no" : "unknown", c.label,
                           text_.describe(c.condition), t == kTrue ? "" : "   <- fails");
      }
    }
    if (g_.has_mql && !account_view_) {
      const Node& m = g_.lead_nodes[static_cast<std::size_t>(g_.mql)];
      out += fmt::format("\nmql = {}   {}\n", record_.mql ? "true" : "false", text_.describe(m.args[0]));
    }
    if (g_.has_mqa) out += fmt::format("\nmqa = {}   {}\n", record_.mqa ? "true" : "false", text_.describe(g_.mqa));
    for (std::size_t c = 0; c < g_.classifies.size(); ++c) {
      const auto& plan = g_.classifies[c];
      if (account_view_ && !plan.account) continue;
      std::int32_t branch = record_.classify_branch[c];
      out += fmt::format("\n{} = {}\n", plan.name,
                         branch >= 0 ? fmt::format("\"{}\"", plan.branches[static_cast<std::size_t>(branch)].value)
                                     : std::string("(no branch applies: empty)"));
      for (std::size_t b = 0; b < plan.branches.size(); ++b) {
        const auto& br = plan.branches[b];
        std::string mark = static_cast<std::int32_t>(b) == branch ? "->" : "";
        out += fmt::format("  {:>7}  {:<28} {}\n", mark, fmt::format("\"{}\"", br.value),
                           br.condition == kNone ? "otherwise" : text_.describe(br.condition));
        if (static_cast<std::int32_t>(b) == branch) break;
      }
    }
    if (!g_.routes.empty() && !account_view_) out += route_text();
    if (why) out += "\n" + why_not_text(*why);
    return out;
  }

  // What lead `ordinal_` fed into each aggregate over its account's leads: counted or not, and its value.
  std::vector<std::pair<std::string, std::string>> aggregate_inputs() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t a = 0; a < g_.account_aggregates.size(); ++a) {
      const auto& plan = g_.account_aggregates[a];
      std::string name = text_.leads_aggregate(a);
      // `count(leads where C)` and `each lead where C` are one aggregate as written: shown once.
      if (std::any_of(out.begin(), out.end(), [&](const auto& o) { return o.first == name; })) continue;
      const bool counted = plan.filter == kNone || text_.truth(plan.filter) == kTrue;
      std::string shown = !counted ? "not counted" : plan.value == kNone ? "counted" : text_.value(plan.value);
      out.emplace_back(std::move(name), std::move(shown));
    }
    return out;
  }
  const LeadRecord& record() const { return record_; }

  // The route taken (first match wins), its queue, service level and owner, and the sales responses.
  std::string route_text() const {
    const ir::Handoff& h = *p_.handoff;
    std::string out;
    if (record_.route < 0) {
      out += "\nroute = (no route applies: empty)\n";
    } else {
      const ir::Route& r = h.routes[static_cast<std::size_t>(record_.route)];
      out += fmt::format("\nroute = \"{}\"  to \"{}\"{}{}\n", r.label, r.queue,
                         r.sla_seconds ? fmt::format(" within {}{}", r.sla_text, h.hours ? " (working hours)" : "") : "",
                         owner_text(r));
    }
    for (std::size_t i = 0; i < g_.routes.size(); ++i) {
      const auto& route = g_.routes[i];
      std::string mark = static_cast<std::int32_t>(i) == record_.route ? "->" : "";
      out += fmt::format("  {:>7}  {:<28} {}\n", mark, fmt::format("\"{}\"", route.label),
                         route.condition == kNone ? "otherwise" : text_.describe(route.condition));
      if (static_cast<std::int32_t>(i) == record_.route) break;
    }
    for (std::size_t i = 0; i < g_.responses.size(); ++i) {
      const auto& plan = g_.responses[i];
      const ResponseOutcome& o = record_.responses[i];
      if (plan.slot >= 0) {
        out += fmt::format("  {:>7}  response {}: {}\n", o.condition == kTrue ? "yes" : "no",
                           text_.slot(g_.slots[static_cast<std::size_t>(plan.slot)]),
                           o.condition == kTrue ? "first at " + io::format_timestamp(o.at)
                                                : "counted from the route entry a previous run records (score --previous)");
      } else {
        std::string at = plan.at_field < 0 ? ""
                         : fmt::format(" at {} = {}", p_.lead_fields[static_cast<std::size_t>(plan.at_field)].name,
                                       o.at == kNoTime ? std::string("missing") : io::format_timestamp(o.at));
        out += fmt::format("  {:>7}  response when {}{}\n", o.condition == kTrue ? "yes" : o.condition == kFalse ? "no" : "unknown",
                           text_.describe(plan.condition), at);
      }
    }
    return out;
  }

  std::string owner_text(const ir::Route& r) const {
    if (r.owner_field >= 0) {
      const auto& column = run_.leads.fields[static_cast<std::size_t>(r.owner_field)];
      std::string value = column.valid[ordinal_] ? std::string(column.str[ordinal_]) : std::string("missing");
      return fmt::format(", owner {} = {}", p_.lead_fields[static_cast<std::size_t>(r.owner_field)].name, value);
    }
    if (!r.round_robin.empty()) return fmt::format(", owner round robin over {} people", r.round_robin.size());
    return "";
  }

  Json route_json() const {
    if (record_.route < 0) return Json(nullptr);
    const ir::Handoff& h = *p_.handoff;
    const ir::Route& r = h.routes[static_cast<std::size_t>(record_.route)];
    Json j;
    j["label"] = r.label;
    j["queue"] = r.queue;
    j["branch"] = record_.route + 1;
    j["sla"] = r.sla_seconds ? Json(r.sla_text) : Json(nullptr);
    j["working_hours"] = h.hours ? Json(h.hours->text) : Json(nullptr);
    j["responses"] = Json::array();
    for (std::size_t i = 0; i < g_.responses.size(); ++i) {
      const ResponseOutcome& o = record_.responses[i];
      Json rj;
      rj["value"] = truth_json(o.condition);
      rj["at"] = o.at == kNoTime ? Json(nullptr) : Json(io::format_timestamp(o.at));
      j["responses"].push_back(std::move(rj));
    }
    return j;
  }

  Json json_value(const std::optional<WhyNot>& why) const {
    Json j;
    j["lead"] = std::string(run_.leads.ids[ordinal_]);
    j["line"] = run_.leads.lines[ordinal_];
    j["as_of"] = io::format_timestamp(run_.leads.as_of[ordinal_]);
    j["sections"] = Json::array();
    for (std::size_t si = 0; si < g_.sections.size(); ++si) {
      const auto& s = g_.sections[si];
      if (account_view_ && !s.account) continue;
      const SectionOutcome& so = record_.sections[si];
      Json section;
      section["name"] = s.name;
      section["value"] = json_number(so.value);
      section["rules"] = Json::array();
      for (const auto& r : s.rules) {
        const RuleOutcome& o = rule(r);
        Json rj;
        rj["label"] = r.label;
        rj["fired"] = o.fired;
        rj["points"] = json_number(points(r).points);
        rj["contribution"] = json_number(o.contribution);
        rj["detail"] = rule_detail(r);
        rj["condition"] = truth_json(o.condition);
        if (r.each) {
          rj["events"] = json_number(o.amount);
          rj["capped"] = o.capped;
        }
        section["rules"].push_back(std::move(rj));
      }
      section["multipliers"] = Json::array();
      for (const auto& m : s.multipliers) {
        const MultiplierOutcome& o = record_.multipliers[static_cast<std::size_t>(m.ordinal)];
        Json mj;
        mj["label"] = m.label;
        mj["applies"] = o.applied;
        mj["factor"] = json_number(m.factor);
        mj["detail"] = text_.describe(m.condition);
        section["multipliers"].push_back(std::move(mj));
      }
      section["sum"] = json_number(so.sum);
      section["factor"] = json_number(so.factor);
      section["before_limits"] = json_number(so.unlimited);
      section["limit"] = limit_name(so.limit) ? Json(limit_name(so.limit)) : Json(nullptr);
      // A calibrated run's limits: the adopted ones, beside the written ones.
      const SectionLimits& limits = run_.limits[si];
      if (run_.weights && limits.max) section["max"] = json_number(*limits.max);
      if (run_.weights && limits.min) section["min"] = json_number(*limits.min);
      if (run_.weights && s.max) section["written_max"] = json_number(*s.max);
      if (run_.weights && s.min) section["written_min"] = json_number(*s.min);
      j["sections"].push_back(std::move(section));
    }
    if (!account_view_) j["score"] = json_number(record_.score);
    if (run_.weights && p_.calibration_path) {
      j["calibration"] = *p_.calibration_path;
      j["adopted_thresholds"] = Json::array();
      for (const auto& t : score_thresholds(g_))
        if (auto v = text_.adopted(t.node, t.arg)) {
          Json tj;
          tj["written"] = threshold_key(g_, t);
          tj["adopted"] = json_number(*v);
          tj["line"] = t.pos.line;
          j["adopted_thresholds"].push_back(std::move(tj));
        }
    }
    j["gates"] = Json::array();
    for (std::size_t gi = 0; gi < g_.gates.size(); ++gi) {
      const auto& gate = g_.gates[gi];
      if (account_view_ && !gate.account) continue;
      Json gj;
      gj["name"] = gate.name;
      gj["value"] = static_cast<bool>(record_.gates[gi]);
      gj["criteria"] = Json::array();
      for (const auto& c : gate.criteria) {
        Json cj;
        cj["label"] = c.label;
        cj["value"] = truth_json(record_.criteria[static_cast<std::size_t>(c.ordinal)]);
        cj["detail"] = text_.describe(c.condition);
        gj["criteria"].push_back(std::move(cj));
      }
      j["gates"].push_back(std::move(gj));
    }
    if (g_.has_mql && !account_view_) j["mql"] = record_.mql;
    if (g_.has_mqa) j["mqa"] = record_.mqa;
    j["classify"] = Json::array();
    for (std::size_t c = 0; c < g_.classifies.size(); ++c) {
      std::int32_t branch = record_.classify_branch[c];
      const auto& plan = g_.classifies[c];
      if (account_view_ && !plan.account) continue;
      Json cj;
      cj["name"] = plan.name;
      cj["value"] = branch >= 0 ? Json(plan.branches[static_cast<std::size_t>(branch)].value) : Json(nullptr);
      cj["branch"] = branch >= 0 ? Json(branch + 1) : Json(nullptr);
      j["classify"].push_back(std::move(cj));
    }
    if (!g_.routes.empty() && !account_view_) j["route"] = route_json();
    if (why) j["why_not"] = why_not_json(*why);
    return j;
  }

  std::string json(const std::optional<WhyNot>& why) const {
    return json_value(why).dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  }

 private:
  const PreparedRun& run_;
  const Graph& g_;
  const ir::Program& p_;
  std::size_t ordinal_;
  bool account_view_ = false;
  BatchState state_;
  ExpressionText text_;
  LeadRecord record_;

  static std::string number(double v) { return io::format_number(v); }

  // `  (max 60)`, or `  (max 87.5, adopted for the written max 60)`.
  static std::string limit_note(const char* kind, const std::optional<double>& written, const std::optional<double>& used) {
    if (!used) return {};
    if (written && *written != *used)
      return fmt::format("  ({} {}, adopted for the written {} {})", kind, number(*used), kind, number(*written));
    return fmt::format("  ({} {})", kind, number(*used));
  }

  // `fit max 60 -> 87.5; fit >= 30 -> 41.5`: every limit and threshold the calibrated run changed.
  std::string adopted_text() const {
    std::vector<std::string> parts;
    for (std::size_t si = 0; si < g_.sections.size(); ++si) {
      const auto& s = g_.sections[si];
      const SectionLimits& l = run_.limits[si];
      if (s.max && l.max && *s.max != *l.max) parts.push_back(fmt::format("{} max {} -> {}", s.name, number(*s.max), number(*l.max)));
      if (s.min && l.min && *s.min != *l.min) parts.push_back(fmt::format("{} min {} -> {}", s.name, number(*s.min), number(*l.min)));
    }
    std::vector<std::string> seen;
    for (const auto& t : score_thresholds(g_))
      if (auto v = text_.adopted(t.node, t.arg)) {
        std::string part = fmt::format("{} -> {}", threshold_key(g_, t), number(*v));
        if (std::find(seen.begin(), seen.end(), part) == seen.end()) seen.push_back(part), parts.push_back(part);
      }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
  }
  static std::string signed_number(double v) {
    std::string out;
    io::append_signed_number(out, v);
    return out;
  }
  const RuleOutcome& rule(const RulePlan& r) const { return record_.rules[static_cast<std::size_t>(r.ordinal)]; }
  const RulePoints& points(const RulePlan& r) const { return run_.points[static_cast<std::size_t>(r.ordinal)]; }

  std::string rule_detail(const RulePlan& r) const {
    if (!r.each) return text_.describe(r.condition);
    const RuleOutcome& o = rule(r);
    const RulePoints& p = points(r);
    if (r.account_aggregate >= 0) {  // `each lead where C` of an account section
      std::string out = fmt::format("{}: {} leads x {} = {}",
                                    text_.leads_aggregate(static_cast<std::size_t>(r.account_aggregate)),
                                    number(o.amount), number(p.points), number(o.amount * p.points));
      if (p.cap) out += fmt::format(" (max {}{})", number(*p.cap), o.capped ? ", capped" : "");
      return out;
    }
    const auto& slot = g_.slots[static_cast<std::size_t>(r.slot)];
    std::string what = text_.slot(slot);
    std::string out = slot.kind == ir::AggregateKind::DecaySum
                          ? fmt::format("{}: decayed count {} x {} = {}", what, number(o.amount), number(p.points),
                                        number(o.amount * p.points))
                          : fmt::format("{}: {} event{} x {} = {}", what, number(o.amount), o.amount == 1 ? "" : "s",
                                        number(p.points), number(o.amount * p.points));
    if (p.cap) out += fmt::format(" (max {}{})", number(*p.cap), o.capped ? ", capped" : "");
    return out;
  }
};

}  // namespace

std::string explain_lead(const PreparedRun& run, std::size_t ordinal, bool json) {
  std::string error;
  Explainer e(run, ordinal);
  auto why = e.why_not_of(std::nullopt, error);
  return json ? e.json(why) : e.text(why);
}

std::string explain_account(const PreparedRun& run, std::size_t group, bool json) {
  return explain_account(run, collect_accounts(run, kAllLeads, static_cast<std::int64_t>(group)).at(0), json);
}

std::string explain_account(const PreparedRun& run, const AccountResult& account, bool json) {
  std::size_t first = account.top.front().ordinal;
  for (const auto& lead : account.top) first = std::min(first, lead.ordinal);
  Explainer view(run, first, true);
  const bool with_file = run.program.has_account_schema;
  if (json) {
    Json j = view.json_value(std::nullopt);
    j.erase("lead");
    j.erase("line");
    j["account"] = account.key;
    j["leads"] = account.leads;
    if (with_file) j["in_accounts_file"] = account.in_file;
    j["members"] = Json::array();
    for (const auto& lead : account.top) {
      Explainer member(run, lead.ordinal);
      Json m;
      m["lead"] = std::string(run.leads.ids[lead.ordinal]);
      m["score"] = json_number(lead.score);
      if (run.graph.has_mql) m["mql"] = lead.mql;
      m["aggregates"] = Json::array();
      for (const auto& [aggregate, value] : member.aggregate_inputs()) m["aggregates"].push_back({{"aggregate", aggregate}, {"value", value}});
      j["members"].push_back(std::move(m));
    }
    return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  }
  std::string out = fmt::format("account {} ({} lead{}{}) as of {}\n", account.key, account.leads,
                                account.leads == 1 ? "" : "s",
                                !with_file ? "" : account.in_file ? ", in the accounts file" : ", not in the accounts file",
                                io::format_timestamp(run.leads.as_of[first]));
  for (std::size_t f = 0; f < run.program.account_fields.size(); ++f) {
    const Column& c = run.accounts.fields[f];
    if (c.type == ir::Type::Error) continue;
    std::string value = "missing";
    const auto g = account.group;
    switch (c.type) {
      case ir::Type::Number: if (c.valid[g]) value = io::format_number(c.num[g]); break;
      case ir::Type::Instant: if (c.valid[g]) value = io::format_timestamp(c.time[g]); break;
      case ir::Type::String: if (c.valid[g]) value = fmt::format("\"{}\"", c.str[g]); break;
      case ir::Type::Bool: if (c.truth[g] != kUnknown) value = c.truth[g] == kTrue ? "true" : "false"; break;
      case ir::Type::Error: break;
    }
    out += fmt::format("  account.{} = {}\n", run.program.account_fields[f].name, value);
  }
  out += view.text(std::nullopt);
  out += fmt::format("\nleads of the account, best score first:\n");
  for (const auto& lead : account.top) {
    Explainer member(run, lead.ordinal);
    out += fmt::format("  {}  score {}{}\n", run.leads.ids[lead.ordinal], io::format_number(lead.score),
                       run.graph.has_mql ? (lead.mql ? ", mql" : ", not mql") : "");
    for (const auto& [aggregate, value] : member.aggregate_inputs()) out += fmt::format("      {}: {}\n", aggregate, value);
  }
  return out;
}

bool run_explain(const ExplainRequest& request, Diagnostics& diags, std::string& out, std::string& error) {
  PreparedRun run;
  if (!prepare_run(request.inputs, diags, run, error)) return false;
  if (request.account_id) {
    if (!run.graph.has_accounts) {
      error = fmt::format("--account: {} has no `account key`, so it has no accounts", request.inputs.rules);
      return false;
    }
    const std::int64_t group = find_account(run, *request.account_id);
    if (group < 0) {
      error = fmt::format("account \"{}\" has no lead in {}", *request.account_id, request.inputs.leads);
      return false;
    }
    out = explain_account(run, static_cast<std::size_t>(group), request.json);
    return true;
  }
  std::int32_t ordinal = run.leads.index.find(request.lead_id);
  if (ordinal < 0) {
    error = fmt::format("lead \"{}\" is not in {} (or its row was rejected)", request.lead_id, request.inputs.leads);
    return false;
  }
  Explainer e(run, static_cast<std::size_t>(ordinal));
  auto why = e.why_not_of(request.why_not, error);
  if (request.why_not && !why) return false;
  out = request.json ? e.json(why) : e.text(why);
  return true;
}

}  // namespace leadscore::jobs
