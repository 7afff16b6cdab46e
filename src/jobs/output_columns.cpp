#include "jobs/output_columns.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "common/suggest.hpp"

namespace leadscore::jobs {

const OutputColumn* OutputColumns::find(ColumnKind kind, std::size_t index) const {
  for (const auto& c : columns)
    if (c.kind == kind && c.index == index) return &c;
  return nullptr;
}

const OutputColumn* OutputColumns::by_name(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

bool compared_run_over_run(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::Section:
    case ColumnKind::Score:
    case ColumnKind::Gate:
    case ColumnKind::Mql:
    case ColumnKind::Mqa:
    case ColumnKind::Classify:
    case ColumnKind::Route:
    case ColumnKind::RouteQueue:
    case ColumnKind::RouteOwner:
    case ColumnKind::RouteEnteredAt:
    case ColumnKind::RouteDueAt:
    case ColumnKind::RouteRespondedAt:
    case ColumnKind::SlaBreached: return true;
    default: return false;
  }
}

bool plan_output_columns(const ir::Program& program, const engine::Graph& graph, const OutputColumnOptions& options,
                         OutputColumns& out, std::string& error) {
  auto& cols = out.columns;
  cols.clear();
  out.warnings.clear();
  auto add = [&](ColumnKind kind, std::string name, std::size_t index = 0) {
    cols.push_back(OutputColumn{kind, index, name, name});
  };
  add(ColumnKind::Id, program.lead_fields[static_cast<std::size_t>(program.lead_id_field)].name);
  if (graph.has_accounts) add(ColumnKind::Account, "account");
  for (std::size_t s = 0; s < graph.sections.size(); ++s) add(ColumnKind::Section, graph.sections[s].name, s);
  add(ColumnKind::Score, "score");
  for (std::size_t g = 0; g < graph.gates.size(); ++g) add(ColumnKind::Gate, graph.gates[g].name, g);
  if (graph.has_mql) add(ColumnKind::Mql, "mql");
  if (graph.has_mqa) add(ColumnKind::Mqa, "mqa");
  for (std::size_t c = 0; c < graph.classifies.size(); ++c) add(ColumnKind::Classify, graph.classifies[c].name, c);
  if (options.calibrated) {
    add(ColumnKind::PClose, "p_close");
    add(ColumnKind::ExpectedValue, "expected_value");
  }
  if (!graph.routes.empty()) {
    const auto& routes = program.handoff->routes;
    add(ColumnKind::Route, "route");
    add(ColumnKind::RouteQueue, "route_queue");
    if (std::any_of(routes.begin(), routes.end(),
                    [](const ir::Route& r) { return r.owner_field >= 0 || !r.round_robin.empty(); }))
      add(ColumnKind::RouteOwner, "route_owner");
    add(ColumnKind::RouteEnteredAt, "route_entered_at");
    if (std::any_of(routes.begin(), routes.end(), [](const ir::Route& r) { return r.sla_seconds.has_value(); })) {
      add(ColumnKind::RouteDueAt, "route_due_at");
      add(ColumnKind::RouteRespondedAt, "route_responded_at");
      add(ColumnKind::SlaBreached, "sla_breached");
    }
  }
  if (options.previous) {
    add(ColumnKind::PreviousScore, "previous_score");
    add(ColumnKind::ScoreChange, "score_change");
    if (graph.has_mql) {
      add(ColumnKind::MqlChange, "mql_change");
      add(ColumnKind::MqlSince, "mql_since");
    }
    for (std::size_t c = 0; c < graph.classifies.size(); ++c)
      add(ColumnKind::PreviousClassify, "previous_" + graph.classifies[c].name, c);
    add(ColumnKind::ExportChange, "export_change");
  }
  static const std::vector<std::pair<std::string, std::pair<ColumnKind, const char*>>> stamps = {
      {"ruleset", {ColumnKind::Ruleset, "ruleset"}},
      {"version", {ColumnKind::RulesetVersion, "ruleset_version"}},
      {"hash", {ColumnKind::RulesetHash, "ruleset_hash"}},
      {"as_of", {ColumnKind::AsOf, "as_of"}},
      {"scored_at", {ColumnKind::ScoredAt, "scored_at"}}};
  for (const auto& [item, column] : stamps)  // always in this order, whatever the order asked
    if (std::find(options.stamps.begin(), options.stamps.end(), item) != options.stamps.end())
      add(column.first, column.second);
  for (const auto& item : options.stamps)
    if (std::none_of(stamps.begin(), stamps.end(), [&](const auto& s) { return s.first == item; })) {
      error = fmt::format("--stamp {}: unknown item; choose from {}", item, kStampItems);
      return false;
    }
  for (std::size_t k = 0; k < options.keep.size(); ++k) {
    if (out.by_name(options.keep[k])) {
      error = fmt::format("--keep {}: the output already has a column \"{}\" (written by the rules); a kept "
                          "column cannot share its name",
                          options.keep[k], options.keep[k]);
      return false;
    }
    add(ColumnKind::Keep, options.keep[k], k);
  }
  if (options.reasons) add(ColumnKind::Reasons, "reasons");

  auto names = [&] {
    std::vector<std::string> all;
    for (const auto& c : cols) all.push_back(c.name);
    return all;
  };
  for (const auto& rename : program.output_names) {
    auto it = std::find_if(cols.begin(), cols.end(), [&](const OutputColumn& c) { return c.name == rename.column; });
    if (it == cols.end()) {
      out.warnings.push_back(fmt::format("the rules' output block renames `{}` (line {}), which this run does not write",
                                         rename.column, rename.pos.line));
      continue;
    }
    it->header = rename.name;
  }
  for (const auto& rename : options.renames) {
    // Not a structured binding: clang 14 cannot capture one in the lambda.
    const std::string& column = rename.first;
    const std::string& name = rename.second;
    auto it = std::find_if(cols.begin(), cols.end(), [&](const OutputColumn& c) { return c.name == column; });
    if (it == cols.end()) {
      auto best = closest_match(column, names());
      error = fmt::format("--rename {}={}: this run writes no column `{}`{}", column, name, column,
                          best ? fmt::format(" (did you mean `{}`?)", *best) : std::string());
      return false;
    }
    it->header = name;
  }
  std::set<std::string> headers;
  for (const auto& c : cols)
    if (!headers.insert(c.header).second) {
      error = fmt::format("two output columns would both be called \"{}\"; rename one of them", c.header);
      return false;
    }
  return true;
}

}  // namespace leadscore::jobs
