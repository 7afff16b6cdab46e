#include "jobs/result_writer.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/diagnostics.hpp"
#include "jobs/reasons.hpp"
#include "io/csv_writer.hpp"
#include "io/number_format.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

void Tally::init(const Graph& graph) {
  mql = 0;
  classify.clear();
  for (const auto& c : graph.classifies) classify.emplace_back(c.branches.size() + 1, 0);
}

void Tally::add(const Tally& other) {
  mql += other.mql;
  for (std::size_t c = 0; c < classify.size(); ++c)
    for (std::size_t b = 0; b < classify[c].size(); ++b) classify[c][b] += other.classify[c][b];
}

ResultWriter::ResultWriter(const ir::Program& program, const Graph& graph, OutputFormat format, bool reasons,
                           const CloseColumns* close, io::CsvSafety safety)
    : program_(program), graph_(graph), format_(format), reasons_(reasons), close_(close), safety_(safety) {
  columns_.push_back(program.lead_fields[static_cast<std::size_t>(program.lead_id_field)].name);
  for (const auto& s : graph.sections) columns_.push_back(s.name);
  columns_.emplace_back("score");
  for (const auto& g : graph.gates) columns_.push_back(g.name);
  if (graph.has_mql) columns_.emplace_back("mql");
  for (const auto& c : graph.classifies) columns_.push_back(c.name);
  if (close) {
    columns_.emplace_back("p_close");
    columns_.emplace_back("expected_value");
  }
  if (reasons) columns_.emplace_back("reasons");
}

std::string ResultWriter::header() const {
  if (format_ == OutputFormat::Jsonl) return {};
  std::string out;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i) out += ',';
    io::append_csv_field(out, columns_[i]);
  }
  out += '\n';
  return out;
}

namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  out += json_escape(s);
  out += '"';
}

}  // namespace

void ResultWriter::append_rows(const LeadTable& leads, const BatchInput& batch, const BatchState& state,
                               std::string& out, Tally& tally) const {
  const bool json = format_ == OutputFormat::Jsonl;
  for (std::size_t r = 0; r < batch.rows; ++r) {
    std::size_t lead = batch.first_lead + r;
    std::size_t column = 0;
    auto begin_field = [&] {
      if (json) {
        out += column == 0 ? "{" : ",";
        append_json_string(out, columns_[column]);
        out += ':';
      } else if (column) {
        out += ',';
      }
      ++column;
    };
    auto number = [&](double v) {
      begin_field();
      if (json) io::append_json_number(out, v);  // never `nan`: null, and an empty cell in CSV
      else io::append_number(out, v);
    };
    auto boolean = [&](bool v) {
      begin_field();
      out += v ? "true" : "false";
    };
    auto text = [&](std::string_view v, bool present) {
      begin_field();
      if (json) {
        if (present) append_json_string(out, v);
        else out += "null";
      } else if (present) {
        io::append_csv_text(out, v, safety_);
      }
    };
    text(leads.ids[lead], true);
    for (const auto& s : graph_.sections) number(state.view(s.value).num[r]);
    number(state.view(graph_.score).num[r]);
    for (const auto& g : graph_.gates) boolean(state.view(g.value).truth[r] == kTrue);
    if (graph_.has_mql) {
      bool mql = state.view(graph_.mql).truth[r] == kTrue;
      tally.mql += mql;
      boolean(mql);
    }
    for (std::size_t c = 0; c < graph_.classifies.size(); ++c) {
      std::int32_t branch = state.classify_branch(c)[r];
      auto& counts = tally.classify[c];
      ++counts[branch >= 0 ? static_cast<std::size_t>(branch) : counts.size() - 1];
      const auto& view = state.view(graph_.classifies[c].value);
      text(view.str[r], view.valid[r] != 0);
    }
    if (close_) {
      // p_close with 4 decimals (2 would hide the difference between 0.4% and 0.1%).
      const double p = close_->p_close(state.view(graph_.score).num[r]);
      begin_field();
      std::string p_text = std::isfinite(p) ? fmt::format("{:.4f}", p) : json ? "null" : "";
      while (p_text.find('.') != std::string::npos && p_text.back() == '0') p_text.pop_back();
      if (!p_text.empty() && p_text.back() == '.') p_text.pop_back();
      out += p_text;
      const double value = p * close_->value_per_won[lead];
      if (std::isnan(value)) text({}, false);
      else number(value);
    }
    if (reasons_) {
      record_lead(graph_, *batch.points, batch, state, r, record_);
      auto reasons = reasons_of(graph_, record_);
      if (json) {
        begin_field();
        append_reasons_json(out, reasons);
      } else {
        text(reasons_text(reasons), true);
      }
    }
    out += json ? "}\n" : "\n";
  }
}

}  // namespace leadscore::jobs
