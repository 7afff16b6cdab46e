#include "jobs/result_writer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include "common/diagnostics.hpp"
#include "io/csv_writer.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"
#include "jobs/reasons.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

namespace {

constexpr std::int64_t kNoInstant = INT64_MIN;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  out += json_escape(s);
  out += '"';
}

// The cells of one row, in CSV or as a JSON object.
class Cells {
 public:
  Cells(std::string& out, bool json, const std::vector<OutputColumn>& columns, io::CsvSafety safety)
      : out_(out), json_(json), columns_(columns), safety_(safety) {}

  void begin() {
    if (json_) {
      out_ += column_ == 0 ? "{" : ",";
      append_json_string(out_, columns_[column_].header);
      out_ += ':';
    } else if (column_) {
      out_ += ',';
    }
    ++column_;
  }
  void missing() {
    if (json_) out_ += "null";
  }
  // Writes the number as the output rounds it and returns that rounded value (NaN: missing).
  double number(double v) {
    const std::size_t start = out_.size();
    io::append_number(out_, v);
    if (out_.size() == start) {
      missing();
      return kNaN;
    }
    // A whole number is written exactly (as points usually are); any other is read back.
    if (io::written_as_integer(v)) return v + 0.0;  // -0 is written "0"
    double written = kNaN;
    fast_float::from_chars(out_.data() + start, out_.data() + out_.size(), written);
    return written;
  }
  // A number the scoring left missing (a section or score beyond the range of numbers) is written as
  // missing, never as the 0 its column holds.
  double number(const ColumnView& v, std::size_t row) {
    if (v.valid[row]) return number(v.num[row]);
    missing();
    return kNaN;
  }
  void boolean(bool v) { out_ += v ? "true" : "false"; }
  void text(std::string_view v, bool present) {
    if (!present) return missing();
    if (json_) append_json_string(out_, v);
    else io::append_csv_text(out_, v, safety_);
  }
  void time(std::int64_t t) {
    if (t == kNoInstant) return missing();
    if (json_) out_ += '"';
    io::append_timestamp(out_, t);
    if (json_) out_ += '"';
  }
  void end() { out_ += json_ ? "}\n" : "\n"; }

 private:
  std::string& out_;
  bool json_;
  const std::vector<OutputColumn>& columns_;
  io::CsvSafety safety_;
  std::size_t column_ = 0;
};

// Whether tonight's value differs from last night's, for the columns both runs have.
class Comparison {
 public:
  Comparison(const PreviousRun* previous, std::size_t lead, double min_change)
      : previous_(previous), lead_(lead), min_change_(min_change),
        seen_(previous && !previous->first_run && previous->seen[lead]) {}

  bool seen() const { return seen_; }
  const Column* column(std::size_t c) const {
    return seen_ && previous_->has(c) ? &previous_->values[c] : nullptr;
  }
  void number(std::size_t c, double now) {
    if (const Column* p = column(c)) {
      if (!p->valid[lead_]) {
        changed_ |= !std::isnan(now);
        return;
      }
      const double change = std::round((now - p->num[lead_]) * 100) / 100;
      if (std::isnan(now) || (change != 0 && std::fabs(change) >= min_change_ - 1e-9)) changed_ = true;
    }
  }
  void truth(std::size_t c, std::int8_t now) {
    if (const Column* p = column(c)) changed_ |= p->truth[lead_] != now;
  }
  void text(std::size_t c, std::string_view now, bool present) {
    if (const Column* p = column(c)) changed_ |= p->valid[lead_] != present || (present && p->str[lead_] != now);
  }
  void time(std::size_t c, std::int64_t now) {
    if (const Column* p = column(c)) {
      const bool present = now != kNoInstant;
      changed_ |= p->valid[lead_] != present || (present && p->time[lead_] != now);
    }
  }
  void mark_changed() { changed_ = true; }
  // A lead is written to --changes-out when it is new tonight or a compared column changed.
  bool changed() const { return previous_ && (!seen_ || changed_); }

 private:
  const PreviousRun* previous_;
  std::size_t lead_;
  double min_change_;
  bool seen_;
  bool changed_ = false;
};

}  // namespace

std::vector<std::uint64_t>& Transitions::row(std::string_view value, std::size_t branches) {
  for (std::size_t i = 0; i < from.size(); ++i)
    if (from[i] == value) return counts[i];
  from.emplace_back(value);
  counts.emplace_back(branches + 1, 0);
  return counts.back();
}

void Tally::init(const Graph& graph) {
  *this = Tally{};
  for (const auto& c : graph.classifies) classify.emplace_back(c.branches.size() + 1, 0);
  transitions.resize(graph.classifies.size());
  routes.resize(graph.routes.size());
}

void Tally::add(const Tally& other) {
  mql += other.mql;
  for (std::size_t c = 0; c < classify.size(); ++c)
    for (std::size_t b = 0; b < classify[c].size(); ++b) classify[c][b] += other.classify[c][b];
  changed += other.changed;
  new_leads += other.new_leads;
  mql_new += other.mql_new;
  mql_lost += other.mql_lost;
  for (std::size_t c = 0; c < transitions.size(); ++c)
    for (std::size_t i = 0; i < other.transitions[c].from.size(); ++i) {
      auto& row = transitions[c].row(other.transitions[c].from[i], other.transitions[c].counts[i].size() - 1);
      for (std::size_t b = 0; b < row.size(); ++b) row[b] += other.transitions[c].counts[i][b];
    }
  for (std::size_t r = 0; r < routes.size(); ++r) {
    routes[r].leads += other.routes[r].leads;
    routes[r].entered += other.routes[r].entered;
    routes[r].responded += other.routes[r].responded;
    routes[r].breached += other.routes[r].breached;
  }
}

ResultWriter::ResultWriter(const ir::Program& program, const Graph& graph, const OutputColumns& columns,
                           OutputFormat format, RowSources sources)
    : program_(program), graph_(graph), columns_(columns), format_(format), sources_(std::move(sources)) {
  needs_record_ = !graph.routes.empty() || columns.find(ColumnKind::Reasons);
}

std::string ResultWriter::header() const {
  if (format_ == OutputFormat::Jsonl) return {};
  std::string out;
  for (std::size_t i = 0; i < columns_.columns.size(); ++i) {
    if (i) out += ',';
    io::append_csv_field(out, columns_.columns[i].header);
  }
  out += '\n';
  return out;
}

void ResultWriter::append_rows(const BatchInput& batch, const BatchState& state, RowBuffers& buffers) const {
  const bool json = format_ == OutputFormat::Jsonl;
  const auto& columns = columns_.columns;
  const PreviousRun* previous = sources_.previous;
  std::string& out = buffers.out;
  Tally& tally = buffers.tally;
  // Where last night's value of a column tonight writes again (score for previous_score, ...).
  auto column_index = [&](ColumnKind kind, std::size_t index = 0) {
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (columns[c].kind == kind && columns[c].index == index) return c;
    return columns.size();
  };
  const std::size_t score_column = column_index(ColumnKind::Score), mql_column = column_index(ColumnKind::Mql);
  std::vector<std::size_t> classify_column(graph_.classifies.size());
  for (std::size_t c = 0; c < classify_column.size(); ++c) classify_column[c] = column_index(ColumnKind::Classify, c);

  for (std::size_t r = 0; r < batch.rows; ++r) {
    const std::size_t lead = batch.first_lead + r;
    const std::size_t row_start = out.size();
    Cells cells(out, json, columns, sources_.safety);
    Comparison compare(previous, lead, sources_.min_change);
    LeadRoute route;
    if (needs_record_) {
      record_route(graph_, batch, state, r, buffers.record);
      if (sources_.clock) route = sources_.clock->route_of(lead, buffers.record);
    }
    const bool mql = graph_.has_mql && state.view(graph_.mql).truth[r] == kTrue;
    const Column* previous_mql = compare.column(mql_column);
    const bool was_mql = previous_mql && previous_mql->truth[lead] == kTrue;
    const bool mql_known = !compare.seen() || (previous_mql && previous_mql->truth[lead] != kUnknown);
    double score_written = kNaN;
    std::size_t owner_offset = 0;
    bool owner_pending = false;

    for (std::size_t c = 0; c < columns.size(); ++c) {
      const OutputColumn& column = columns[c];
      cells.begin();
      switch (column.kind) {
        case ColumnKind::Id: cells.text(sources_.leads->ids[lead], true); break;
        case ColumnKind::Account: {
          const engine::AccountState& accounts = *batch.accounts;
          const auto g = static_cast<std::size_t>(accounts.group[lead]);
          if (g < accounts.accounts) cells.text(accounts.keys[g], true);
          else cells.text({}, false);
          break;
        }
        case ColumnKind::Mqa: {
          const bool value = state.view(graph_.mqa).truth[r] == kTrue;
          cells.boolean(value);
          compare.truth(c, value ? kTrue : kFalse);
          break;
        }
        case ColumnKind::Section:
          compare.number(c, cells.number(state.view(graph_.sections[column.index].value), r));
          break;
        case ColumnKind::Score:
          score_written = cells.number(state.view(graph_.score), r);
          compare.number(c, score_written);
          break;
        case ColumnKind::Gate: {
          const bool value = state.view(graph_.gates[column.index].value).truth[r] == kTrue;
          cells.boolean(value);
          compare.truth(c, value ? kTrue : kFalse);
          break;
        }
        case ColumnKind::Mql:
          cells.boolean(mql);
          compare.truth(c, mql ? kTrue : kFalse);
          break;
        case ColumnKind::Classify: {
          const auto& view = state.view(graph_.classifies[column.index].value);
          cells.text(view.str[r], view.valid[r] != 0);
          compare.text(c, view.str[r], view.valid[r] != 0);
          break;
        }
        case ColumnKind::PClose: {
          // p_close with 4 decimals (2 would hide the difference between 0.4% and 0.1%).
          if (!state.view(graph_.score).valid[r]) {
            cells.missing();
            break;
          }
          const double p = sources_.close->p_close(state.view(graph_.score).num[r]);
          std::string p_text = fmt::format("{:.4f}", p);
          while (p_text.back() == '0') p_text.pop_back();
          if (p_text.back() == '.') p_text.pop_back();
          out += p_text;
          break;
        }
        case ColumnKind::ExpectedValue:
          if (!state.view(graph_.score).valid[r]) cells.missing();
          else cells.number(sources_.close->p_close(state.view(graph_.score).num[r]) * sources_.close->value_per_won[lead]);
          break;
        case ColumnKind::Route: {
          const bool present = route.route >= 0;
          // Both arms are string_views: `present ? std::string : ""` would view a destroyed temporary.
          const std::string_view label =
              present ? std::string_view(graph_.routes[static_cast<std::size_t>(route.route)].label) : std::string_view();
          cells.text(label, present);
          compare.text(c, label, present);
          break;
        }
        case ColumnKind::RouteQueue: {
          const bool present = route.route >= 0;
          const std::string_view queue =
              present ? std::string_view(program_.handoff->routes[static_cast<std::size_t>(route.route)].queue)
                      : std::string_view();
          cells.text(queue, present);
          compare.text(c, queue, present);
          break;
        }
        case ColumnKind::RouteOwner:
          if (route.assign_owner) {
            owner_pending = true;
            owner_offset = out.size();
            compare.mark_changed();
          } else {
            cells.text(route.owner, !route.owner.empty());
            compare.text(c, route.owner, !route.owner.empty());
          }
          break;
        case ColumnKind::RouteEnteredAt:
          cells.time(route.route >= 0 ? route.entered : kNoInstant);
          compare.time(c, route.route >= 0 ? route.entered : kNoInstant);
          break;
        case ColumnKind::RouteDueAt:
          cells.time(route.due);
          compare.time(c, route.due);
          break;
        case ColumnKind::RouteRespondedAt:
          cells.time(route.route >= 0 ? route.responded : kNoInstant);
          compare.time(c, route.route >= 0 ? route.responded : kNoInstant);
          break;
        case ColumnKind::SlaBreached:
          if (route.breached < 0) cells.missing();
          else cells.boolean(route.breached == 1);
          compare.truth(c, route.breached < 0 ? kUnknown : route.breached == 1 ? kTrue : kFalse);
          break;
        case ColumnKind::PreviousScore: {
          const Column* p = compare.column(score_column);
          if (p && p->valid[lead]) cells.number(p->num[lead]);
          else cells.missing();
          break;
        }
        case ColumnKind::ScoreChange: {
          const Column* p = compare.column(score_column);
          if (p && p->valid[lead] && !std::isnan(score_written)) cells.number(score_written - p->num[lead]);
          else cells.missing();
          break;
        }
        case ColumnKind::MqlChange: {
          const char* change = mql && !was_mql && mql_known ? "new" : !mql && was_mql ? "lost" : "";
          cells.text(change, *change != '\0');
          break;
        }
        case ColumnKind::MqlSince: {
          std::int64_t since = kNoInstant;
          if (mql) {
            since = sources_.as_of;
            const Column* p = compare.column(c);
            if (was_mql && p && p->valid[lead]) since = p->time[lead];
          }
          cells.time(since);
          break;
        }
        case ColumnKind::PreviousClassify: {
          const Column* p = compare.column(classify_column[column.index]);
          cells.text(p ? p->str[lead] : "", p && p->valid[lead]);
          break;
        }
        case ColumnKind::ExportChange: cells.text("new", !compare.seen()); break;
        case ColumnKind::Ruleset: cells.text(program_.name, true); break;
        case ColumnKind::RulesetVersion: cells.text(program_.version, true); break;
        case ColumnKind::RulesetHash: cells.text(program_.content_hash, true); break;
        case ColumnKind::AsOf: cells.time(sources_.as_of); break;
        case ColumnKind::ScoredAt: cells.text(sources_.scored_at, true); break;
        case ColumnKind::Keep: {
          const Column& kept = *sources_.keep[column.index];
          cells.text(kept.str[lead], kept.valid[lead] != 0);
          break;
        }
        case ColumnKind::Reasons: {
          record_lead(graph_, *batch.points, batch, state, r, buffers.record);
          auto reasons = reasons_of(graph_, buffers.record);
          limit_reasons(reasons, sources_.reasons_max);
          if (json) append_reasons_json(out, reasons);
          else cells.text(reasons_text(reasons), true);
          break;
        }
      }
    }
    cells.end();

    tally.mql += mql;
    for (std::size_t c = 0; c < graph_.classifies.size(); ++c) {
      const std::int32_t branch = state.classify_branch(c)[r];
      auto& counts = tally.classify[c];
      const std::size_t to = branch >= 0 ? static_cast<std::size_t>(branch) : counts.size() - 1;
      ++counts[to];
      if (previous) {
        const Column* p = compare.column(classify_column[c]);
        std::string_view from = !compare.seen() ? "(new)" : !p ? "(unknown)" : p->valid[lead] ? p->str[lead] : "(none)";
        ++tally.transitions[c].row(from, counts.size() - 1)[to];
      }
    }
    if (route.route >= 0) {
      RouteCounts& counts = tally.routes[static_cast<std::size_t>(route.route)];
      ++counts.leads;
      counts.entered += route.entered_tonight;
      counts.responded += route.responded != kNoInstant;
      counts.breached += route.breached == 1;
    }
    if (previous) {
      tally.new_leads += !compare.seen();
      tally.mql_new += mql && !was_mql && mql_known;
      tally.mql_lost += !mql && was_mql;
    }
    PendingOwner pending{owner_offset, 0, false, route.route >= 0 ? static_cast<std::size_t>(route.route) : 0};
    if (compare.changed()) {
      ++tally.changed;
      pending.in_changes = true;
      pending.changes_offset = buffers.changes.size() + (owner_offset - row_start);
      buffers.changes.append(out, row_start, out.size() - row_start);
    }
    if (owner_pending) buffers.pending.push_back(pending);
  }
}

void ResultWriter::fill_owners(RowBuffers& buffers, HandoffClock& clock) const {
  if (buffers.pending.empty()) return;
  const bool json = format_ == OutputFormat::Jsonl;
  std::vector<std::string> owners;
  for (const auto& p : buffers.pending) {
    std::string cell;
    if (json) append_json_string(cell, clock.next_owner(p.route));
    else io::append_csv_text(cell, clock.next_owner(p.route), sources_.safety);
    owners.push_back(std::move(cell));
  }
  auto splice = [&](std::string& text, bool changes) {
    std::string filled;
    filled.reserve(text.size() + 32 * owners.size());
    std::size_t from = 0;
    for (std::size_t i = 0; i < buffers.pending.size(); ++i) {
      const auto& p = buffers.pending[i];
      if (changes && !p.in_changes) continue;
      const std::size_t at = changes ? p.changes_offset : p.offset;
      filled.append(text, from, at - from);
      filled += owners[i];
      from = at;
    }
    filled.append(text, from, std::string::npos);
    text = std::move(filled);
  };
  splice(buffers.out, false);
  splice(buffers.changes, true);
  buffers.pending.clear();
}

void ResultWriter::append_gone(const GoneLead& gone, std::string& out) const {
  Cells cells(out, format_ == OutputFormat::Jsonl, columns_.columns, sources_.safety);
  std::size_t classify = 0;
  for (const auto& column : columns_.columns) {
    cells.begin();
    switch (column.kind) {
      case ColumnKind::Id: cells.text(gone.id, true); break;
      case ColumnKind::PreviousScore: cells.number(gone.score); break;
      case ColumnKind::PreviousClassify:
        classify = column.index;
        cells.text(classify < gone.classify.size() ? gone.classify[classify] : "",
                   classify < gone.classify.size() && !gone.classify[classify].empty());
        break;
      case ColumnKind::ExportChange: cells.text("gone", true); break;
      case ColumnKind::Keep: {
        const bool present = column.index < gone.kept.size() && !gone.kept[column.index].empty();
        cells.text(present ? std::string_view(gone.kept[column.index]) : std::string_view{}, present);
        break;
      }
      case ColumnKind::Reasons:
        if (format_ == OutputFormat::Jsonl) out += "[]";
        break;
      default: cells.missing(); break;
    }
  }
  cells.end();
}

void ResultWriter::append_carried(const GoneLead& lead, std::string& out) const {
  Cells cells(out, format_ == OutputFormat::Jsonl, columns_.columns, sources_.safety);
  const auto& columns = columns_.columns;
  auto cell_of = [&](ColumnKind kind, std::size_t index) -> std::string_view {
    for (std::size_t c = 0; c < columns.size() && c < lead.cells.size(); ++c)
      if (columns[c].kind == kind && columns[c].index == index) return lead.cells[c];
    return {};
  };
  auto number = [&](std::string_view cell) {
    auto v = io::parse_number(cell);
    if (v.has_value()) cells.number(v.value);
    else cells.missing();
  };
  auto boolean = [&](std::string_view cell) {
    auto v = io::parse_bool(cell);
    if (v.has_value()) cells.boolean(v.value);
    else cells.missing();
  };
  auto time = [&](std::string_view cell) {
    auto v = io::parse_timestamp(cell);
    cells.time(v.has_value() ? v.value : kNoInstant);
  };
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const OutputColumn& column = columns[c];
    const std::string_view cell = c < lead.cells.size() ? std::string_view(lead.cells[c]) : std::string_view{};
    cells.begin();
    switch (column.kind) {
      case ColumnKind::Id: cells.text(lead.id, true); break;
      case ColumnKind::Section:
      case ColumnKind::Score:
      case ColumnKind::PClose:
      case ColumnKind::ExpectedValue: number(cell); break;
      case ColumnKind::Gate:
      case ColumnKind::Mql:
      case ColumnKind::Mqa:
      case ColumnKind::SlaBreached: boolean(cell); break;
      case ColumnKind::MqlSince:
      case ColumnKind::RouteEnteredAt:
      case ColumnKind::RouteDueAt:
      case ColumnKind::RouteRespondedAt:
      case ColumnKind::AsOf: time(cell); break;
      case ColumnKind::PreviousScore: number(cell_of(ColumnKind::Score, 0)); break;
      case ColumnKind::ScoreChange:
      case ColumnKind::MqlChange: cells.missing(); break;
      case ColumnKind::PreviousClassify: {
        const std::string_view value = cell_of(ColumnKind::Classify, column.index);
        cells.text(value, !value.empty());
        break;
      }
      case ColumnKind::ExportChange: cells.text("rejected", true); break;
      case ColumnKind::Reasons:
        if (format_ == OutputFormat::Jsonl) out += "[]";
        else cells.text(cell, !cell.empty());
        break;
      default: cells.text(cell, !cell.empty()); break;  // the text columns: classify, route, stamps, kept
    }
  }
  cells.end();
}

}  // namespace leadscore::jobs
