#pragma once
// Turns evaluated lead batches into output rows (CSV or JSON lines), with optional reasons.
#include <functional>
#include <string>
#include <vector>

#include "engine/exec/evaluator.hpp"
#include "engine/exec/outcome.hpp"
#include "engine/load/lead_table.hpp"
#include "io/csv_writer.hpp"

namespace leadscore::jobs {

enum class OutputFormat { Csv, Jsonl };

// Counts kept while writing: the summary's MQL and classify tallies.
struct Tally {
  std::uint64_t mql = 0;
  std::vector<std::vector<std::uint64_t>> classify;  // [classify][branch], last = no branch
  void init(const engine::Graph& graph);
  void add(const Tally& other);
};

// The columns a calibrated run adds after the classifies: p_close (from the score) and
// expected_value = p_close x the average revenue of a won lead (NaN per lead: empty cell).
struct CloseColumns {
  std::function<double(double score)> p_close;
  std::vector<double> value_per_won;  // by lead ordinal
};

class ResultWriter {
 public:
  // `safety`: how CSV text cells (id, classify values, reasons) are guarded (io/csv_writer.hpp); raw
  // for rows read back by the program itself, `score` passes its --spreadsheet-safe setting.
  ResultWriter(const ir::Program& program, const engine::Graph& graph, OutputFormat format, bool reasons,
               const CloseColumns* close = nullptr, io::CsvSafety safety = io::CsvSafety::Raw);
  std::string header() const;
  // Appends the rows of one evaluated batch (`batch` as evaluate_leads() returned it, `state` holding it).
  void append_rows(const engine::LeadTable& leads, const engine::BatchInput& batch, const engine::BatchState& state,
                   std::string& out, Tally& tally) const;

 private:
  const ir::Program& program_;
  const engine::Graph& graph_;
  OutputFormat format_;
  bool reasons_;
  const CloseColumns* close_;
  io::CsvSafety safety_;
  std::vector<std::string> columns_;
  mutable engine::LeadRecord record_;  // scratch for the reasons column
};

}  // namespace leadscore::jobs
