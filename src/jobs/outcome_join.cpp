#include "jobs/outcome_join.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "io/csv_reader.hpp"
#include "io/value_parse.hpp"
#include "jobs/unreadable_values.hpp"
#include "jobs/weights_check.hpp"

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

// A number as an int64 that sorts like it.
std::int64_t order_key(double v) {
  const auto bits = std::bit_cast<std::int64_t>(v);
  return bits >= 0 ? bits : std::numeric_limits<std::int64_t>::min() - bits;
}

const ir::Field* lead_field_named(const ir::Program& program, const std::string& name) {
  for (const auto& f : program.lead_fields)
    if (f.name == name || f.column == name) return &f;
  return nullptr;
}

// The outcomes CSV joined by id onto the leads. A closed_at that cannot be read on a won or lost row
// is counted (the caller makes it an error).
bool join_outcomes_file(const OutcomeOptions& o, const engine::LeadTable& leads, LeadFacts& facts, std::string& error) {
  io::CsvReader reader(o.delimiter);
  std::vector<std::int32_t> pos;
  if (!open_outcomes_csv(o, "lead_id", reader, pos, error)) return false;
  io::CsvRecord record;
  facts.has_closed_at_column = pos[2] >= 0;
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
    if (pos[2] >= 0 && closed(facts.status[l])) {
      auto t = io::parse_timestamp(cell(2), o.closed_at_zone);
      if (t.has_value()) facts.closed_at[l] = t.value;
      else if (t.unparseable()) facts.closed_at_unreadable.note(record.line, cell(2));
      else ++facts.closed_without_date;
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

std::string closed_at_error(const OutcomeOptions& o, const Unreadable& u) {
  std::string more = u.count > 1 ? fmt::format(" (and {} more closed leads' closed_at)", u.count - 1) : "";
  std::string fix = lacks_zone(u.value, o.closed_at_zone)
                        ? "it has no zone: say which zone the CRM exports in, e.g. --closed-at-zone UTC or "
                          "--closed-at-zone +01:00"
                        : "closed_at must be a date or a timestamp YYYY-MM-DD[T| ]HH:MM:SS[.fff] with Z, +HH:MM or "
                          "+HHMM (or none, with --closed-at-zone)";
  return fmt::format("{} line {}: closed_at \"{}\" (column \"{}\") cannot be read{}; {}. Without it calibrate "
                     "cannot tell which outcomes were known before each lead's cutoff and each backtest chunk",
                     *o.file, u.line, u.value, o.closed_at_column, more, fix);
}

}  // namespace

bool open_outcomes_csv(const OutcomeOptions& o, const char* id_name, io::CsvReader& reader,
                       std::vector<std::int32_t>& pos, std::string& error) {
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
  return engine::map_columns(record.fields, wanted, {id_name, "outcome", "closed_at", "amount"}, *o.file, pos, error);
}

Status classify_outcome(std::string_view value, const OutcomeOptions& o) {
  for (const auto& w : o.won)
    if (same_text(value, w)) return Status::Won;
  for (const auto& l : o.lost)
    if (same_text(value, l)) return Status::Lost;
  return Status::Open;
}

bool read_lead_facts(const CalibrateRequest& req, const ir::Program& program, engine::LeadTable& leads, LeadFacts& facts,
                     std::uint64_t& no_cutoff, std::string& err) {
  const std::size_t n = leads.rows;
  facts.status.assign(n, Status::NoOutcome);
  facts.amount.assign(n, kNaN);
  facts.source.assign(n, "");
  facts.time.resize(n);
  facts.time_number.assign(n, kNaN);
  facts.closed_at.assign(n, kNoInstant);
  // Columns of the leads file beside the rules' own fields, read in the same pass (extra columns).
  auto column_of = [&](const std::optional<std::string>& name) -> const engine::Column* {
    return name ? engine::extra_column(leads, column_for(program, *name)) : nullptr;
  };
  auto text = [](const engine::Column* c, std::size_t l) -> std::string_view {
    return c && c->valid[l] ? c->str[l] : std::string_view{};
  };
  const engine::Column* outcome_col = column_of(req.outcomes.leads_column);
  const engine::Column* amount_col = column_of(req.outcomes.leads_amount_column);
  const engine::Column* source_col = column_of(req.source_field);
  const engine::Column* cutoff_col = column_of(req.cutoff_field);
  const engine::Column* time_col = column_of(req.time_field);
  auto zone_of = [&](const std::optional<std::string>& name) -> io::DefaultZone {
    const ir::Field* f = name ? lead_field_named(program, *name) : nullptr;
    return f ? f->zone : std::nullopt;
  };
  facts.cutoff_zone = zone_of(req.cutoff_field);
  facts.time_zone = zone_of(req.time_field);
  if (req.outcomes.file) {
    if (!join_outcomes_file(req.outcomes, leads, facts, err)) return false;
    if (facts.closed_at_unreadable.count) {
      err = closed_at_error(req.outcomes, facts.closed_at_unreadable);
      return false;
    }
  }
  // --time-field: a date or timestamp column, else a number column (whichever reads more cells).
  if (time_col) {
    std::uint64_t instants = 0, numbers = 0;
    for (std::size_t l = 0; l < n; ++l) {
      instants += io::parse_timestamp(text(time_col, l), facts.time_zone).has_value();
      numbers += io::parse_number(text(time_col, l)).has_value();
    }
    facts.time_kind = numbers > instants ? TimeKind::Number : TimeKind::Instant;
  } else if (cutoff_col) {
    facts.time_kind = TimeKind::Instant;
  }
  for (std::size_t l = 0; l < n; ++l) {
    if (outcome_col) facts.status[l] = classify_outcome(text(outcome_col, l), req.outcomes);
    if (amount_col)
      if (auto a = io::parse_number(text(amount_col, l)); a.has_value()) facts.amount[l] = a.value;
    if (source_col) facts.source[l] = std::string(text(source_col, l));
    facts.time[l] = static_cast<std::int64_t>(leads.lines[l]);
    if (cutoff_col) {
      auto t = io::parse_timestamp(text(cutoff_col, l), facts.cutoff_zone);
      if (t.has_value()) {
        leads.as_of[l] = t.value + req.cutoff_delay;
        facts.time[l] = leads.as_of[l];
        if (facts.closed_at[l] != kNoInstant && facts.closed_at[l] < leads.as_of[l] && closed(facts.status[l]))
          facts.status[l] = Status::ClosedBeforeCutoff;
      } else {
        if (t.unparseable()) facts.cutoff_unreadable.note(leads.lines[l], text(cutoff_col, l));
        ++no_cutoff;
        facts.status[l] = Status::NoCutoff;
      }
    }
    if (time_col) {
      const std::string_view cell = text(time_col, l);
      bool read = false;
      if (facts.time_kind == TimeKind::Instant) {
        auto t = io::parse_timestamp(cell, facts.time_zone);
        if ((read = t.has_value())) facts.time[l] = t.value;
      } else {
        auto v = io::parse_number(cell);
        if ((read = v.has_value())) facts.time[l] = order_key(v.value), facts.time_number[l] = v.value;
      }
      if (!read) {
        if (!cell.empty()) facts.time_unreadable.note(leads.lines[l], cell);
        if (closed(facts.status[l])) facts.status[l] = Status::NoTime;
      }
    }
  }
  return true;
}

}  // namespace leadscore::jobs
