#include "jobs/outcome_join.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "io/csv_reader.hpp"
#include "jobs/weights_check.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool same_text(std::string_view a, std::string_view b) {
  a = io::trim_blanks(a);
  b = io::trim_blanks(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Status classify_outcome(std::string_view value, const OutcomeOptions& o) {
  for (const auto& w : o.won)
    if (same_text(value, w)) return Status::Won;
  for (const auto& l : o.lost)
    if (same_text(value, l)) return Status::Lost;
  return Status::Open;
}

// The outcomes CSV joined by id onto the leads.
bool join_outcomes_file(const OutcomeOptions& o, const engine::LeadTable& leads, LeadFacts& facts, std::string& error) {
  io::CsvReader reader(o.delimiter);
  if (!reader.open(*o.file, error)) return false;
  io::CsvRecord record;
  if (!reader.next(record)) {
    error = reader.error().empty() ? fmt::format("{}: the file is empty", *o.file) : reader.error();
    return false;
  }
  auto has_header = [&](const std::string& name) {
    return std::any_of(record.fields.begin(), record.fields.end(),
                       [&](std::string_view h) { return io::trim_blanks(h) == name; });
  };
  std::vector<std::string> wanted{o.id_column, o.outcome_column,
                                  o.closed_at_required || has_header(o.closed_at_column) ? o.closed_at_column : "",
                                  o.amount_required || has_header(o.amount_column) ? o.amount_column : ""};
  std::vector<std::string> names{"lead_id", "outcome", "closed_at", "amount"};
  std::vector<std::int32_t> pos;
  if (!engine::map_columns(record.fields, wanted, names, *o.file, pos, error)) return false;
  std::vector<bool> seen(leads.rows, false);
  while (reader.next(record)) {
    ++facts.outcome_rows;
    auto cell = [&](std::size_t c) -> std::string_view {
      if (pos[c] < 0 || static_cast<std::size_t>(pos[c]) >= record.fields.size()) return {};
      return io::trim_blanks(record.fields[static_cast<std::size_t>(pos[c])]);
    };
    std::int32_t lead = leads.index.find(cell(0));
    if (lead < 0) {
      ++facts.outcome_unknown_ids;
      continue;
    }
    auto l = static_cast<std::size_t>(lead);
    if (seen[l]) {
      ++facts.outcome_duplicates;
      continue;
    }
    seen[l] = true;
    facts.status[l] = classify_outcome(cell(1), o);
    if (pos[2] >= 0)
      if (auto t = io::parse_timestamp(cell(2)); t.has_value()) {
        facts.closed_at[l] = t.value;
        facts.has_closed_at[l] = true;
      }
    if (pos[3] >= 0)
      if (auto a = io::parse_number(cell(3)); a.has_value()) facts.amount[l] = a.value;
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  return true;
}

}  // namespace

bool read_lead_facts(const CalibrateRequest& req, const ir::Program& program, engine::LeadTable& leads, LeadFacts& facts,
                     std::uint64_t& no_cutoff, std::string& err) {
  const std::size_t n = leads.rows;
  facts.status.assign(n, Status::NoOutcome);
  facts.amount.assign(n, kNaN);
  facts.source.assign(n, "");
  facts.time.resize(n);
  facts.closed_at.assign(n, 0);
  facts.has_closed_at.assign(n, false);
  // Columns of the leads file beside the rules' own fields, read in the same pass (extra columns).
  auto text_of = [&](const std::optional<std::string>& name) -> std::vector<std::string> {
    std::vector<std::string> values;
    if (!name) return values;
    const engine::Column* column = engine::extra_column(leads, column_for(program, *name));
    values.resize(n);
    for (std::size_t l = 0; column && l < n; ++l)
      if (column->valid[l]) values[l] = std::string(column->str[l]);
    return values;
  };
  std::vector<std::vector<std::string>> cells;
  auto want = [&](const std::optional<std::string>& name) -> std::int32_t {
    if (!name) return -1;
    cells.push_back(text_of(name));
    return static_cast<std::int32_t>(cells.size() - 1);
  };
  const std::int32_t outcome_col = want(req.outcomes.leads_column);
  const std::int32_t amount_col = want(req.outcomes.leads_amount_column);
  const std::int32_t source_col = want(req.source_field);
  const std::int32_t cutoff_col = want(req.cutoff_field);
  const std::int32_t time_col = want(req.time_field);
  if (req.outcomes.file) {
    if (!join_outcomes_file(req.outcomes, leads, facts, err)) return false;
  }
  for (std::size_t l = 0; l < n; ++l) {
    if (outcome_col >= 0) facts.status[l] = classify_outcome(cells[static_cast<std::size_t>(outcome_col)][l], req.outcomes);
    if (amount_col >= 0)
      if (auto a = io::parse_number(cells[static_cast<std::size_t>(amount_col)][l]); a.has_value()) facts.amount[l] = a.value;
    if (source_col >= 0) facts.source[l] = cells[static_cast<std::size_t>(source_col)][l];
    facts.time[l] = static_cast<std::int64_t>(leads.lines[l]);
    if (cutoff_col >= 0) {
      auto t = io::parse_timestamp(cells[static_cast<std::size_t>(cutoff_col)][l]);
      if (t.has_value()) {
        leads.as_of[l] = t.value + req.cutoff_delay;
        facts.time[l] = leads.as_of[l];
        if (facts.has_closed_at[l] && facts.closed_at[l] < leads.as_of[l] &&
            (facts.status[l] == Status::Won || facts.status[l] == Status::Lost))
          facts.status[l] = Status::ClosedBeforeCutoff;
      } else {
        ++no_cutoff;
        facts.status[l] = Status::NoCutoff;
      }
    }
    if (time_col >= 0) {
      auto t = io::parse_timestamp(cells[static_cast<std::size_t>(time_col)][l]);
      if (t.has_value()) facts.time[l] = t.value;
      else if (facts.status[l] == Status::Won || facts.status[l] == Status::Lost) facts.status[l] = Status::NoTime;
    }
  }
  return true;
}

}  // namespace leadscore::jobs
