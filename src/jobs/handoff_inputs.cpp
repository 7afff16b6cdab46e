#include "jobs/handoff_inputs.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "engine/load/lead_table.hpp"
#include "io/csv_reader.hpp"
#include "io/csv_writer.hpp"
#include "io/value_parse.hpp"
#include "jobs/output_columns.hpp"

namespace leadscore::jobs {

namespace {

constexpr std::size_t kExamples = 3;

// Where a header names `name` (trimmed), or -1.
std::int32_t find_header(const std::vector<std::string_view>& header, std::string_view name) {
  if (name.empty()) return -1;
  for (std::size_t h = 0; h < header.size(); ++h)
    if (io::trim_blanks(header[h]) == name) return static_cast<std::int32_t>(h);
  return -1;
}

std::string_view cell_at(const io::CsvRecord& record, std::int32_t at) {
  if (at < 0 || static_cast<std::size_t>(at) >= record.fields.size()) return {};
  return io::trim_blanks(record.fields[static_cast<std::size_t>(at)]);
}

// The scored file's columns, by the names `score` writes for this ruleset (the output block's CRM
// names first, then leadscore's own).
struct ScoredColumns {
  std::int32_t id = -1, mql = -1, group = -1, source = -1, entered = -1, due = -1, responded = -1, breached = -1,
               export_change = -1;
};

bool map_scored_header(const HandoffRequest& req, const ir::Program& program, const engine::Graph& graph,
                       const std::vector<std::string_view>& header, ScoredColumns& cols, HandoffInputReport& report,
                       std::string& error) {
  OutputColumns planned;
  std::string ignored;
  plan_output_columns(program, graph, {}, planned, ignored);
  auto position = [&](ColumnKind kind, std::size_t index = 0) -> std::int32_t {
    const OutputColumn* c = planned.find(kind, index);
    if (!c) return -1;
    std::int32_t at = find_header(header, c->header);
    return at >= 0 ? at : find_header(header, c->name);
  };
  auto required = [&](ColumnKind kind, std::string_view what, std::int32_t& at) {
    at = position(kind);
    if (at >= 0) return true;
    const OutputColumn* c = planned.find(kind);
    std::vector<std::string> wanted{c ? c->header : std::string(what)}, names{std::string(what)};
    std::vector<std::int32_t> pos;
    engine::map_columns(header, wanted, names, req.scored, pos, error);
    if (error.empty()) error = fmt::format("{}: the ruleset writes no {} column", req.scored, what);
    return false;
  };
  if (!required(ColumnKind::Id, "id", cols.id) || !required(ColumnKind::Mql, "mql", cols.mql)) return false;

  if (req.by) {
    auto it = std::find_if(graph.classifies.begin(), graph.classifies.end(), [&](const auto& c) { return c.name == *req.by; });
    if (it == graph.classifies.end()) {
      std::vector<std::string> names;
      for (const auto& c : graph.classifies) names.push_back(c.name);
      error = fmt::format("--by {}: the ruleset has no classify of that name{}", *req.by,
                          names.empty() ? std::string(" (it has none)") : fmt::format(" (it has: {})", fmt::join(names, ", ")));
      return false;
    }
    report.by = *req.by;
    cols.group = position(ColumnKind::Classify, static_cast<std::size_t>(it - graph.classifies.begin()));
  } else if (!graph.classifies.empty()) {
    report.by = graph.classifies[0].name;
    cols.group = position(ColumnKind::Classify, 0);
  }
  if (!report.by.empty() && cols.group < 0) {
    std::vector<std::string> wanted{report.by}, names{report.by};
    std::vector<std::int32_t> pos;
    if (engine::map_columns(header, wanted, names, req.scored, pos, error))
      error = fmt::format("{}: no column for the classify {}", req.scored, report.by);
    return false;
  }
  if (req.source_field) {
    std::vector<std::string> wanted{*req.source_field}, names{*req.source_field};
    std::vector<std::int32_t> pos;
    if (!engine::map_columns(header, wanted, names, req.scored, pos, error)) {
      error += " (keep the source column in the scored file with `score --keep COLUMN`)";
      return false;
    }
    cols.source = pos[0];
    report.source_field = *req.source_field;
  }
  cols.entered = position(ColumnKind::RouteEnteredAt);
  cols.due = position(ColumnKind::RouteDueAt);
  cols.responded = position(ColumnKind::RouteRespondedAt);
  cols.breached = position(ColumnKind::SlaBreached);
  cols.export_change = find_header(header, "export_change");
  if (!program.handoff || program.handoff->routes.empty())
    report.notes.push_back("the ruleset has no routes: no response times or SLA");
  else if (cols.entered < 0)
    report.notes.push_back(fmt::format("{} has no route_entered_at column: no response times or SLA", req.scored));
  return true;
}

// A text cell as `score --spreadsheet-safe on` wrote it: the `'` before a formula-like value is taken off.
std::string unguarded(std::string_view cell) {
  if (cell.size() > 1 && cell.front() == '\'' && io::csv_formula_like(cell.substr(1))) cell.remove_prefix(1);
  return std::string(cell);
}

std::int64_t instant_or_none(std::string_view cell) {
  auto t = io::parse_timestamp(cell);
  return t.has_value() ? t.value : kNoTime;
}

bool read_scored(const HandoffRequest& req, const ir::Program& program, const engine::Graph& graph,
                 std::vector<HandoffLead>& leads, std::unordered_map<std::string, std::uint64_t>& seen,
                 HandoffInputReport& report, std::string& error) {
  io::CsvReader reader(req.delimiter);
  if (!reader.open(req.scored, error)) return false;
  io::CsvRecord record;
  if (!reader.next(record)) {
    error = reader.error().empty() ? fmt::format("{}: the file is empty", req.scored) : reader.error();
    return false;
  }
  const std::size_t width = record.fields.size();
  ScoredColumns cols;
  if (!map_scored_header(req, program, graph, record.fields, cols, report, error)) return false;
  while (reader.next(record)) {
    ++report.scored_rows;
    const std::string id = unguarded(cell_at(record, cols.id));  // the CRM's `=A1`, written `'=A1`
    if (record.malformed || record.fields.size() != width || id.empty()) {
      report.scored_skipped.note(record.line, record.malformed ? std::string(record.malformed_reason)
                                              : id.empty()   ? std::string("no id")
                                                             : fmt::format("{} fields, the header has {}", record.fields.size(), width));
      continue;
    }
    if (cell_at(record, cols.export_change) == "gone") continue;  // a lead no longer in the export
    if (!seen.emplace(id, record.line).second) {
      report.scored_duplicates.note(record.line, one_line(id));
      continue;
    }
    auto mql = io::parse_bool(cell_at(record, cols.mql));
    if (!mql.has_value() || !mql.value) continue;
    HandoffLead lead;
    lead.id = id;
    lead.group = unguarded(cell_at(record, cols.group));
    lead.source = unguarded(cell_at(record, cols.source));
    lead.entered = instant_or_none(cell_at(record, cols.entered));
    lead.due = instant_or_none(cell_at(record, cols.due));
    lead.responded = instant_or_none(cell_at(record, cols.responded));
    if (auto b = io::parse_bool(cell_at(record, cols.breached)); b.has_value()) lead.breached = b.value ? 1 : 0;
    leads.push_back(std::move(lead));
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  report.mqls = leads.size();
  return true;
}

bool read_dispositions(const HandoffRequest& req, const std::unordered_map<std::string_view, std::size_t>& mql_index,
                       const std::unordered_map<std::string, std::uint64_t>& scored_ids, std::vector<HandoffLead>& leads,
                       HandoffInputReport& report, std::string& error) {
  io::CsvReader reader(req.delimiter);
  if (!reader.open(req.dispositions, error)) return false;
  io::CsvRecord record;
  if (!reader.next(record)) {
    error = reader.error().empty() ? fmt::format("{}: the file is empty", req.dispositions) : reader.error();
    return false;
  }
  std::vector<std::string> wanted{
      req.id_column, req.disposition_column,
      req.reason_required || find_header(record.fields, req.reason_column) >= 0 ? req.reason_column : "",
      req.at_required || find_header(record.fields, req.at_column) >= 0 ? req.at_column : ""};
  std::vector<std::string> names{"lead_id", "disposition", "reason", "disposition_at"};
  std::vector<std::int32_t> pos;
  if (!engine::map_columns(record.fields, wanted, names, req.dispositions, pos, error)) {
    error += " (name the headers with --disposition-columns lead_id=H,disposition=H,reason=H,disposition_at=H)";
    return false;
  }
  std::unordered_set<std::string> seen;
  while (reader.next(record)) {
    ++report.disposition_rows;
    const std::string_view id = cell_at(record, pos[0]);
    if (record.malformed || id.empty()) {
      report.disposition_skipped.note(record.line, record.malformed ? std::string(record.malformed_reason) : "no lead id");
      continue;
    }
    const bool fresh = seen.emplace(id).second;
    if (!fresh) report.duplicate_dispositions.note(record.line, one_line(id));
    const std::string_view value = cell_at(record, pos[1]);
    const Disposition d = disposition_of(value, req.words);
    if (d == Disposition::Unknown) report.unknown_dispositions.note(record.line, one_line(value));
    std::int64_t at = kNoTime;
    if (pos[3] >= 0) {
      auto t = io::parse_timestamp(cell_at(record, pos[3]), req.at_zone);
      if (t.has_value()) at = t.value;
      else if (t.unparseable()) report.unreadable_times.note(record.line, one_line(cell_at(record, pos[3])));
    }
    auto lead = mql_index.find(id);
    if (lead == mql_index.end()) {
      if (scored_ids.count(std::string(id))) ++report.not_mql;
      else if (fresh) report.unknown_ids.note(record.line, one_line(id));
      continue;
    }
    HandoffLead& l = leads[lead->second];
    l.disposition = d;
    l.reason = d == Disposition::Rejected ? std::string(cell_at(record, pos[2])) : std::string();
    l.disposed_at = at;
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  return true;
}

// The outcomes file joined as calibrate joins it (jobs/outcome_join), onto the MQLs.
bool read_outcomes(const HandoffRequest& req, const ir::Program& program, std::vector<HandoffLead>& leads,
                   HandoffInputReport& report, std::string& error) {
  engine::LeadTable table;
  table.rows = leads.size();
  table.as_of.assign(leads.size(), 0);
  table.lines.assign(leads.size(), 0);
  for (std::size_t l = 0; l < leads.size(); ++l) {
    table.ids.push_back(leads[l].id);
    table.index.insert(leads[l].id, static_cast<std::int32_t>(l), table.index.key_of(leads[l].id));
  }
  CalibrateRequest calibrate;
  calibrate.outcomes = req.outcomes;
  calibrate.outcomes.closed_at_column.clear();  // not needed here: no closed_at is read
  calibrate.outcomes.closed_at_required = false;
  LeadFacts facts;
  std::uint64_t no_cutoff = 0;
  if (!read_lead_facts(calibrate, program, table, facts, no_cutoff, error)) return false;
  for (std::size_t l = 0; l < leads.size(); ++l) {
    leads[l].outcome = facts.status[l];
    leads[l].amount = facts.amount[l];
  }
  report.outcome_rows = facts.outcome_rows;
  report.outcome_duplicates = facts.outcome_duplicates;
  // Outcome rows of ids that are no MQL here are many by design (every lead that closed): not reported as a problem.
  report.outcome_unknown_ids = facts.outcome_unknown_ids;
  return true;
}

}  // namespace

void Counted::note(std::uint64_t line, std::string_view value) {
  if (count++ < kExamples) examples.push_back({line, std::string(value)});
}

bool read_handoff_inputs(const HandoffRequest& req, const ir::Program& program, const engine::Graph& graph,
                         std::vector<HandoffLead>& leads, HandoffInputReport& report, std::string& error) {
  report.ruleset = program.name;
  report.version = program.version;
  std::unordered_map<std::string, std::uint64_t> scored_ids;  // every id (MQL or not) -> its line
  if (!read_scored(req, program, graph, leads, scored_ids, report, error)) return false;
  std::unordered_map<std::string_view, std::size_t> mql_index;
  for (std::size_t l = 0; l < leads.size(); ++l) mql_index.emplace(leads[l].id, l);
  if (!read_dispositions(req, mql_index, scored_ids, leads, report, error)) return false;
  if (req.outcomes.file && !read_outcomes(req, program, leads, report, error)) return false;
  return true;
}

}  // namespace leadscore::jobs
