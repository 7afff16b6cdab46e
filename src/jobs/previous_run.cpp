#include "jobs/previous_run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

#include <fmt/format.h>

#include "io/csv_writer.hpp"
#include "io/csv_reader.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

namespace {

constexpr std::size_t kSkippedLinesKept = 5;

// The type a previous column is read as, or Error when it is not read.
ir::Type read_type(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::Section:
    case ColumnKind::Score: return ir::Type::Number;
    case ColumnKind::Gate:
    case ColumnKind::Mql:
    case ColumnKind::Mqa:
    case ColumnKind::SlaBreached: return ir::Type::Bool;
    case ColumnKind::Classify:
    case ColumnKind::Route:
    case ColumnKind::RouteQueue:
    case ColumnKind::RouteOwner: return ir::Type::String;
    case ColumnKind::MqlSince:
    case ColumnKind::RouteEnteredAt:
    case ColumnKind::RouteDueAt:
    case ColumnKind::RouteRespondedAt: return ir::Type::Instant;
    default: return ir::Type::Error;
  }
}

// A text cell as `score` wrote it with --spreadsheet-safe on: the `'` before a formula-like value
// (`'=HYPERLINK(...)`, `'-fan`) is taken off, so the value compares equal to tonight's.
std::string_view unguarded(std::string_view cell) {
  cell = io::trim_blanks(cell);
  if (cell.size() > 1 && cell.front() == '\'' && io::csv_formula_like(cell.substr(1))) cell.remove_prefix(1);
  return cell;
}

// Stores one cell; false when it is not empty and does not parse.
bool store(Column& column, std::size_t row, std::string_view cell, StringArena& arena) {
  if (column.type != ir::Type::Bool) column.valid[row] = 0;  // a bool column keeps kUnknown in truth instead
  switch (column.type) {
    case ir::Type::Number: {
      auto v = io::parse_number(cell);
      if (v.has_value()) column.num[row] = v.value, column.valid[row] = 1;
      return !v.unparseable();
    }
    case ir::Type::Bool: {
      auto v = io::parse_bool(cell);
      column.truth[row] = v.has_value() ? (v.value ? kTrue : kFalse) : kUnknown;
      return !v.unparseable();
    }
    case ir::Type::Instant: {
      auto v = io::parse_timestamp(cell);
      if (v.has_value()) column.time[row] = v.value, column.valid[row] = 1;
      return !v.unparseable();
    }
    case ir::Type::String: {
      std::string_view text = unguarded(cell);
      if (!text.empty()) column.str[row] = arena.store(text), column.valid[row] = 1;
      return true;
    }
    case ir::Type::Error: return true;
  }
  return true;
}

}  // namespace

bool read_previous_run(const std::string& path, const OutputColumns& columns, const LeadTable& leads,
                       const std::vector<std::string>& rejected_ids, PreviousRun& previous, std::string& error) {
  previous.path = path;
  io::CsvReader reader(',');
  if (!reader.open(path, error)) {
    error = "--previous: " + error;
    return false;
  }
  io::CsvRecord record;
  if (!reader.next(record)) {
    if (!reader.error().empty()) {
      error = reader.error();
      return false;
    }
    previous.first_run = true;  // an empty file: nothing to compare with
    previous.seen.assign(leads.rows, 0);
    previous.values.resize(columns.columns.size());
    return true;
  }
  std::vector<std::string> header;
  for (auto h : record.fields) header.emplace_back(io::trim_blanks(h));
  auto position = [&](const std::string& name) -> std::int32_t {
    for (std::size_t h = 0; h < header.size(); ++h)
      if (header[h] == name) return static_cast<std::int32_t>(h);
    return -1;
  };
  const auto& cols = columns.columns;
  const std::int32_t id_at = position(cols.front().header);
  if (id_at < 0 && !header.empty() && header.front().starts_with('{')) {
    error = fmt::format("--previous {}: this looks like JSON lines; --previous reads the CSV output of an earlier "
                        "`leadscore score` (write tonight's with --format csv, the default, to compare tomorrow)",
                        path);
    return false;
  }
  if (id_at < 0) {
    error = fmt::format("--previous {}: no column \"{}\" (the lead id) in its header; is it an output of `leadscore "
                        "score` with these rules?",
                        path, cols.front().header);
    return false;
  }
  std::vector<std::int32_t> at(cols.size(), -1);
  previous.values.assign(cols.size(), Column{});
  for (std::size_t c = 0; c < cols.size(); ++c) {
    ir::Type type = read_type(cols[c].kind);
    if (type == ir::Type::Error) continue;
    at[c] = position(cols[c].header);
    if (at[c] < 0) {
      previous.missing.push_back(cols[c].header);
      continue;
    }
    previous.values[c].reset(type, leads.rows);
  }
  // The ruleset that wrote the file, when it was stamped (`--stamp version,hash`).
  auto stamp_at = [&](ColumnKind kind, const char* name) {
    const OutputColumn* c = columns.find(kind);
    return position(c ? c->header : name);
  };
  const std::int32_t version_at = stamp_at(ColumnKind::RulesetVersion, "ruleset_version");
  const std::int32_t hash_at = stamp_at(ColumnKind::RulesetHash, "ruleset_hash");

  // Gone leads keep their score, mql, classify and --keep values for --changes-out.
  std::int32_t score_at = -1, mql_at = -1;
  std::vector<std::int32_t> classify_at, kept_at;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (cols[c].kind == ColumnKind::Score) score_at = at[c];
    if (cols[c].kind == ColumnKind::Mql) mql_at = at[c];
    if (cols[c].kind == ColumnKind::Classify) classify_at.push_back(at[c]);
    if (cols[c].kind == ColumnKind::Keep) {
      if (kept_at.size() <= cols[c].index) kept_at.resize(cols[c].index + 1, -1);
      kept_at[cols[c].index] = position(cols[c].header);
    }
  }
  std::vector<std::uint64_t> unreadable(cols.size(), 0);
  previous.seen.assign(leads.rows, 0);
  std::unordered_set<std::string> absent_ids;  // of rows not among tonight's leads, so that each is reported once
  std::vector<std::uint8_t> unread_only(leads.rows, 0);  // seen only through a broken row
  std::vector<std::int32_t> cell_at;  // every output column's position, for the rows carried whole
  for (const auto& column : cols) cell_at.push_back(position(column.header));
  const std::size_t fields = header.size();
  while (reader.next(record)) {
    ++previous.rows;
    auto skip = [&] {
      if (previous.skipped_lines.size() < kSkippedLinesKept) previous.skipped_lines.push_back(record.line);
      ++previous.skipped;
    };
    if (record.malformed || record.fields.size() != fields) {
      skip();
      // A lead of tonight whose previous row is broken is not new: matched, with its previous values
      // unknown (so it is no `new` MQL either).
      if (static_cast<std::size_t>(id_at) < record.fields.size()) {
        const std::int32_t lead = leads.index.find(unguarded(record.fields[static_cast<std::size_t>(id_at)]));
        if (lead >= 0 && !previous.seen[static_cast<std::size_t>(lead)]) {
          previous.seen[static_cast<std::size_t>(lead)] = 1;
          unread_only[static_cast<std::size_t>(lead)] = 1;
          ++previous.unread_matched;
        }
      }
      continue;
    }
    std::string_view id = unguarded(record.fields[static_cast<std::size_t>(id_at)]);
    if (id.empty()) {
      skip();
      continue;
    }
    if (previous.rows == 1) {
      if (version_at >= 0) previous.ruleset_version = std::string(io::trim_blanks(record.fields[static_cast<std::size_t>(version_at)]));
      if (hash_at >= 0) previous.ruleset_hash = std::string(io::trim_blanks(record.fields[static_cast<std::size_t>(hash_at)]));
    }
    const std::int32_t lead = leads.index.find(id);
    if (lead < 0) {
      if (!absent_ids.insert(std::string(id)).second) {
        ++previous.duplicates;
        continue;
      }
      GoneLead gone;
      gone.id = std::string(id);
      gone.score = std::numeric_limits<double>::quiet_NaN();
      if (score_at >= 0) {
        auto v = io::parse_number(record.fields[static_cast<std::size_t>(score_at)]);
        if (v.has_value()) gone.score = v.value;
      }
      if (mql_at >= 0) {
        auto v = io::parse_bool(record.fields[static_cast<std::size_t>(mql_at)]);
        gone.mql = v.has_value() && v.value;
      }
      for (auto c : classify_at)
        gone.classify.emplace_back(c >= 0 ? unguarded(record.fields[static_cast<std::size_t>(c)]) : "");
      for (auto c : kept_at) gone.kept.emplace_back(c >= 0 ? unguarded(record.fields[static_cast<std::size_t>(c)]) : "");
      if (std::binary_search(rejected_ids.begin(), rejected_ids.end(), id)) {
        for (auto h : cell_at) gone.cells.emplace_back(h >= 0 ? unguarded(record.fields[static_cast<std::size_t>(h)]) : "");
        previous.rejected.push_back(std::move(gone));
      } else {
        previous.gone.push_back(std::move(gone));
      }
      continue;
    }
    const auto row = static_cast<std::size_t>(lead);
    if (unread_only[row]) {  // a good row after a broken one of the same id: the good one is read
      unread_only[row] = 0;
      --previous.unread_matched;
      previous.seen[row] = 0;
    }
    if (previous.seen[row]) {
      ++previous.duplicates;
      continue;
    }
    previous.seen[row] = 1;
    ++previous.matched;
    for (std::size_t c = 0; c < cols.size(); ++c)
      if (at[c] >= 0 && !store(previous.values[c], row, record.fields[static_cast<std::size_t>(at[c])], previous.arena))
        ++unreadable[c];
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  for (std::size_t c = 0; c < cols.size(); ++c)
    if (unreadable[c]) previous.unreadable.emplace_back(cols[c].header, unreadable[c]);
  return true;
}

}  // namespace leadscore::jobs
