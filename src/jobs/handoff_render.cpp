#include "jobs/handoff_render.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/escape.hpp"

namespace leadscore::jobs {

namespace {

using json = nlohmann::ordered_json;

std::string hours_text(double h) { return std::isfinite(h) ? fmt::format("{:.2f}h", h) : "n/a"; }
std::string money_text(double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : "n/a"; }

const TargetCheck* target_of(const GroupMetrics& g, ir::TargetMetric metric) {
  for (const auto& t : g.targets)
    if (t.metric == metric) return &t;
  return nullptr;
}

// "71.4% ok" / "60.0% MISSED" / "71.4%" (no target) / "n/a".
std::string rate_with_mark(const GroupMetrics& g, double value, ir::TargetMetric metric) {
  const TargetCheck* t = target_of(g, metric);
  if (!t || !std::isfinite(value)) return percent_text(value);
  return fmt::format("{} {}", percent_text(value), t->met ? "ok" : "MISSED");
}

std::string group_name(const GroupMetrics& g) { return one_line(g.name) + (g.small_sample ? " *" : ""); }

std::string table(const std::string& title, const std::vector<GroupMetrics>& groups, const HandoffReport& r) {
  const bool outcomes = r.metrics.has_outcomes;
  std::size_t width = 5;
  for (const auto& g : groups) width = std::max(width, group_name(g).size());
  std::string s = fmt::format("\n{}\n", title);
  s += fmt::format("  {:<{}}  {:>5}  {:>13}  {:>13}  {:>7}  {:>8}  {:>13}", "group", width, "MQLs", "accepted", "rejected",
                   "pending", "median", "SLA met");
  if (outcomes) s += fmt::format("  {:>13}  {:>10}", "MQL-to-won", "MQL value");
  s += "\n";
  for (const auto& g : groups) {
    s += fmt::format("  {:<{}}  {:>5}  {:>13}  {:>13}  {:>7}  {:>8}  {:>13}", group_name(g), width, g.mqls,
                     rate_with_mark(g, g.acceptance(), ir::TargetMetric::Acceptance),
                     rate_with_mark(g, g.rejection(), ir::TargetMetric::Rejection), percent_text(g.pending_share()),
                     hours_text(g.median_response_hours), rate_with_mark(g, g.sla_met_share(), ir::TargetMetric::SlaMet));
    if (outcomes)
      s += fmt::format("  {:>13}  {:>10}", rate_with_mark(g, g.mql_to_won(), ir::TargetMetric::MqlToWon),
                       money_text(g.mql_value()));
    s += "\n";
  }
  return s;
}

std::string totals(const GroupMetrics& g, const HandoffReport& r) {
  auto mark = [&](ir::TargetMetric metric) {
    const TargetCheck* t = target_of(g, metric);
    if (!t) return std::string();
    return fmt::format("   target {}: {}", t->text, !std::isfinite(t->value) ? "no data" : t->met ? "met" : "MISSED");
  };
  std::string s = fmt::format("All MQLs: {}{}\n", g.mqls,
                              g.small_sample ? fmt::format(" (small sample: fewer than {})", r.settings.small_sample) : "");
  s += fmt::format("  accepted    {:>5}  {:>6}{}\n", g.accepted, percent_text(g.acceptance()), mark(ir::TargetMetric::Acceptance));
  s += fmt::format("  rejected    {:>5}  {:>6}{}\n", g.rejected, percent_text(g.rejection()), mark(ir::TargetMetric::Rejection));
  s += fmt::format("  pending     {:>5}  {:>6}{}\n", g.pending + g.unknown, percent_text(g.pending_share()),
                   g.unknown ? fmt::format("   ({} with a disposition not recognised)", g.unknown) : "");
  if (g.routed) {
    s += fmt::format("  response    {} of {} routed MQLs responded; median {}, p90 {}{}\n", g.responded, g.routed,
                     hours_text(g.median_response_hours), hours_text(g.p90_response_hours),
                     r.working_hours.empty() ? "" : " (working hours)");
    if (g.sla_leads)
      s += fmt::format("  SLA         {} met, {} missed, {} not due yet: {} met{}\n", g.sla_met, g.sla_missed, g.sla_open,
                       percent_text(g.sla_met_share()), mark(ir::TargetMetric::SlaMet));
  }
  if (r.metrics.has_outcomes) {
    s += fmt::format("  won         {} won, {} lost, {} open: {} MQL-to-won{}\n", g.won, g.lost, g.open,
                     percent_text(g.mql_to_won()), mark(ir::TargetMetric::MqlToWon));
    s += fmt::format("  MQL value   {} average won amount ({} won with an amount) x {} = {} per MQL\n",
                     money_text(g.average_won_amount()), g.won_with_amount, percent_text(g.mql_to_won()),
                     money_text(g.mql_value()));
  }
  return s;
}

std::string reasons_text(const GroupMetrics& g) {
  if (g.reasons.empty()) return {};
  std::size_t width = 6;
  for (const auto& reason : g.reasons) width = std::max(width, one_line(reason.reason).size());
  std::string s = fmt::format("\nRejection reasons ({} rejected MQLs):\n", g.rejected);
  for (const auto& reason : g.reasons) {
    const double share = g.rejected ? static_cast<double>(reason.count) / static_cast<double>(g.rejected) : NAN;
    s += fmt::format("  {:<{}}  {:>5}  {:>6}{}\n", one_line(reason.reason), width, reason.count, percent_text(share),
                     reason.example.empty() || reason.example == reason.reason ? ""
                                                                                 : fmt::format("   e.g. \"{}\"", one_line(reason.example)));
  }
  return s;
}

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json group_json(const GroupMetrics& g, const HandoffReport& r) {
  json j;
  j["name"] = g.name;
  j["mqls"] = g.mqls;
  j["small_sample"] = g.small_sample;
  j["accepted"] = g.accepted;
  j["rejected"] = g.rejected;
  j["pending"] = g.pending;
  j["unrecognised"] = g.unknown;
  j["acceptance"] = number_or_null(g.acceptance());
  j["rejection"] = number_or_null(g.rejection());
  j["pending_share"] = number_or_null(g.pending_share());
  j["response"] = {{"routed", g.routed},
                   {"responded", g.responded},
                   {"median_hours", number_or_null(g.median_response_hours)},
                   {"p90_hours", number_or_null(g.p90_response_hours)}};
  j["sla"] = {{"leads", g.sla_leads}, {"met", g.sla_met}, {"missed", g.sla_missed}, {"not_due", g.sla_open},
              {"met_share", number_or_null(g.sla_met_share())}};
  if (r.metrics.has_outcomes)
    j["outcomes"] = {{"won", g.won},
                     {"lost", g.lost},
                     {"open", g.open},
                     {"mql_to_won", number_or_null(g.mql_to_won())},
                     {"won_with_amount", g.won_with_amount},
                     {"average_won_amount", number_or_null(g.average_won_amount())},
                     {"mql_value", number_or_null(g.mql_value())}};
  json reasons = json::array();
  for (const auto& reason : g.reasons)
    reasons.push_back({{"reason", reason.reason},
                       {"example", reason.example},
                       {"count", reason.count},
                       {"share", number_or_null(g.rejected ? static_cast<double>(reason.count) / static_cast<double>(g.rejected) : NAN)}});
  j["reasons"] = reasons;
  json targets = json::array();
  for (const auto& t : g.targets)
    targets.push_back({{"metric", t.name}, {"target", t.text}, {"value", number_or_null(t.value)},
                       {"met", std::isfinite(t.value) ? json(t.met) : json(nullptr)}});
  j["targets"] = targets;
  return j;
}

json counted_json(const Counted& c) {
  json examples = json::array();
  for (const auto& e : c.examples) examples.push_back({{"line", e.line}, {"value", e.value}});
  return {{"count", c.count}, {"examples", examples}};
}

std::string examples_text(const Counted& c) {
  std::string s;
  for (const auto& e : c.examples) s += fmt::format("{}line {}: \"{}\"", s.empty() ? "" : ", ", e.line, e.value);
  return s;
}

}  // namespace

std::string percent_text(double share) { return std::isfinite(share) ? fmt::format("{:.1f}%", 100 * share) : "n/a"; }

std::string handoff_text(const HandoffReport& r) {
  const auto& in = r.inputs;
  std::string s = fmt::format("Hand-off of {} version {}: {} MQLs of {} scored leads, {} disposition rows{}\n",
                              one_line(in.ruleset), one_line(in.version), in.mqls, in.scored_rows, in.disposition_rows,
                              r.metrics.has_outcomes ? fmt::format(", {} outcome rows", in.outcome_rows) : "");
  if (!r.settings.targets.empty()) {
    std::string targets;
    for (const auto& t : r.settings.targets) targets += fmt::format("{}{} {}", targets.empty() ? "" : ", ", t.name, t.text);
    s += fmt::format("Targets: {}\n", targets);
  } else {
    s += "Targets: none in the ruleset (add `target acceptance >= 70%` ... to its handoff block)\n";
  }
  if (!r.working_hours.empty()) s += fmt::format("Response times in working hours: {}\n", one_line(r.working_hours));
  for (const auto& note : in.notes) s += fmt::format("Note: {}\n", one_line(note));
  s += "\n" + totals(r.metrics.all, r);
  s += reasons_text(r.metrics.all);
  auto breakdown = [&](const std::string& what, const std::vector<GroupMetrics>& groups) {
    std::vector<GroupMetrics> rows{r.metrics.all};
    rows.insert(rows.end(), groups.begin(), groups.end());
    s += table(what, rows, r);
  };
  if (!r.metrics.by_source.empty()) breakdown(fmt::format("By source ({}):", one_line(in.source_field)), r.metrics.by_source);
  if (!r.metrics.by_group.empty()) breakdown(fmt::format("By {}:", one_line(in.by)), r.metrics.by_group);
  if (!r.metrics.by_source.empty() || !r.metrics.by_group.empty())
    s += fmt::format("\n* small sample: fewer than {} MQLs; read the counts, not the rates (they never fail a target).\n",
                     r.settings.small_sample);
  return s;
}

std::string handoff_json(const HandoffReport& r) {
  const auto& in = r.inputs;
  json j;
  j["ruleset"] = in.ruleset;
  j["version"] = in.version;
  j["by"] = in.by.empty() ? json(nullptr) : json(in.by);
  j["source_field"] = in.source_field.empty() ? json(nullptr) : json(in.source_field);
  j["working_hours"] = r.working_hours.empty() ? json(nullptr) : json(r.working_hours);
  j["small_sample"] = r.settings.small_sample;
  json targets = json::array();
  for (const auto& t : r.settings.targets)
    targets.push_back({{"metric", t.name}, {"target", t.text}, {"at_least", t.at_least}, {"share", t.value}});
  j["targets"] = targets;
  j["missed_targets"] = missed_targets(r.metrics);
  j["all"] = group_json(r.metrics.all, r);
  json by_source = json::array(), by_group = json::array();
  for (const auto& g : r.metrics.by_source) by_source.push_back(group_json(g, r));
  for (const auto& g : r.metrics.by_group) by_group.push_back(group_json(g, r));
  j["by_source"] = by_source;
  j["by_group"] = by_group;
  j["inputs"] = {{"scored_rows", in.scored_rows},
                 {"mqls", in.mqls},
                 {"scored_skipped", counted_json(in.scored_skipped)},
                 {"scored_duplicates", counted_json(in.scored_duplicates)},
                 {"disposition_rows", in.disposition_rows},
                 {"dispositions_of_non_mqls", in.not_mql},
                 {"unknown_ids", counted_json(in.unknown_ids)},
                 {"unrecognised_dispositions", counted_json(in.unknown_dispositions)},
                 {"duplicate_dispositions", counted_json(in.duplicate_dispositions)},
                 {"unreadable_times", counted_json(in.unreadable_times)},
                 {"disposition_skipped", counted_json(in.disposition_skipped)},
                 {"outcome_rows", in.outcome_rows},
                 {"outcome_duplicates", in.outcome_duplicates},
                 {"notes", in.notes}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::vector<std::string> handoff_warnings(const HandoffRequest& req, const HandoffInputReport& in) {
  std::vector<std::string> out;
  // `one` for a count of 1, `many` for more: "1 row skipped", "2 rows skipped".
  auto add = [&](const Counted& c, const std::string& file, const char* one, const char* many, const std::string& then) {
    if (c.count) out.push_back(fmt::format("{}: {} {} ({}{}); {}", file, c.count, c.count == 1 ? one : many,
                                           examples_text(c), c.count > c.examples.size() ? ", ..." : "", then));
  };
  add(in.unknown_dispositions, req.dispositions, "disposition not recognised", "dispositions not recognised",
      "those MQLs count as pending; map the values with --accepted, --rejected or --pending");
  add(in.duplicate_dispositions, req.dispositions, "row repeats a lead id", "rows repeat a lead id",
      "the later row of each lead is used");
  add(in.unreadable_times, req.dispositions, "disposition time cannot be read", "disposition times cannot be read",
      "they are left out; write YYYY-MM-DD[THH:MM:SS] with Z or +HH:MM, or give --disposition-zone");
  add(in.disposition_skipped, req.dispositions, "row skipped", "rows skipped", "they are left out");
  add(in.unknown_ids, req.dispositions, "lead id is not in the scored file", "lead ids are not in the scored file",
      "they are left out");
  add(in.scored_skipped, req.scored, "row skipped", "rows skipped", "they are left out");
  add(in.scored_duplicates, req.scored, "row repeats a lead id", "rows repeat a lead id", "the first row of each lead is used");
  return out;
}

}  // namespace leadscore::jobs
