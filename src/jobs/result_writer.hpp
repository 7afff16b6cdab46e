#pragma once
// Turns evaluated lead batches into output rows (CSV or JSON lines), one cell per planned output
// column (jobs/output_columns.hpp): scores, route columns, last night's values and what changed,
// stamps, kept columns and reasons. With a previous run, the rows of the leads whose compared
// columns changed are also appended to a second buffer (--changes-out).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/exec/evaluator.hpp"
#include "engine/exec/outcome.hpp"
#include "engine/load/lead_table.hpp"
#include "io/csv_writer.hpp"
#include "jobs/handoff_clock.hpp"
#include "jobs/output_columns.hpp"
#include "jobs/previous_run.hpp"

namespace leadscore::jobs {

enum class OutputFormat { Csv, Jsonl };

// A classify's values last night (rows, by text; "(new)" for leads not in last night's output)
// against tonight's branches (columns, the last one for no branch).
struct Transitions {
  std::vector<std::string> from;
  std::vector<std::vector<std::uint64_t>> counts;
  std::vector<std::uint64_t>& row(std::string_view value, std::size_t branches);
};

struct RouteCounts {
  std::uint64_t leads = 0, entered = 0, responded = 0, breached = 0;
};

// Counts kept while writing: the summary's MQL, classify, run-over-run and route tallies.
struct Tally {
  std::uint64_t mql = 0;
  std::vector<std::vector<std::uint64_t>> classify;  // [classify][branch], last = no branch
  std::uint64_t changed = 0, new_leads = 0, mql_new = 0, mql_lost = 0;
  std::vector<Transitions> transitions;  // by classify, with a previous run
  std::vector<RouteCounts> routes;       // by route
  void init(const engine::Graph& graph);
  void add(const Tally& other);
};

// The columns a calibrated run adds after the classifies: p_close (from the score) and
// expected_value = p_close x the average revenue of a won lead (NaN per lead: empty cell).
struct CloseColumns {
  std::function<double(double score)> p_close;
  std::vector<double> value_per_won;  // by lead ordinal
};

// Everything a row reads besides the evaluated batch.
struct RowSources {
  const engine::LeadTable* leads = nullptr;
  const CloseColumns* close = nullptr;
  const PreviousRun* previous = nullptr;  // --previous
  const HandoffClock* clock = nullptr;    // when routes are declared
  std::vector<const engine::Column*> keep;  // by kept column (--keep)
  std::int64_t as_of = 0;
  std::string scored_at;                  // --stamp scored_at
  double min_change = 0;                  // --min-change
  std::size_t reasons_max = 0;            // --reasons-max (0: all)
  // How CSV text cells (id, classify values, kept columns, reasons) are guarded (io/csv_writer.hpp):
  // raw for rows read back by the program itself, `score` passes its --spreadsheet-safe setting.
  io::CsvSafety safety = io::CsvSafety::Raw;
};

// A round-robin owner cell left empty while rows are written on several threads; owners are given
// in input order when the rows are put together (ResultWriter::fill_owners).
struct PendingOwner {
  std::size_t offset = 0;          // in RowBuffers::out
  std::size_t changes_offset = 0;  // in RowBuffers::changes, when the row is there too
  bool in_changes = false;
  std::size_t route = 0;
};

// One thread's output of a run of batches.
struct RowBuffers {
  std::string out, changes;
  std::vector<PendingOwner> pending;
  Tally tally;
  engine::LeadRecord record;  // scratch
};

class ResultWriter {
 public:
  ResultWriter(const ir::Program& program, const engine::Graph& graph, const OutputColumns& columns,
               OutputFormat format, RowSources sources);
  std::string header() const;
  // Appends the rows of one evaluated batch (`batch` as evaluate_leads() returned it, `state` holding it).
  void append_rows(const engine::BatchInput& batch, const engine::BatchState& state, RowBuffers& buffers) const;
  // Gives the pending round-robin owners of `buffers` (in order) and writes them into its rows.
  void fill_owners(RowBuffers& buffers, HandoffClock& clock) const;
  // A --changes-out row for a lead of last night's output that tonight's export no longer has.
  void append_gone(const GoneLead& gone, std::string& out) const;
  // An output row for a lead whose row was rejected tonight: last night's values as they were
  // (`export_change` = `rejected`, no score or mql change; in JSON lines its reasons are `[]`).
  void append_carried(const GoneLead& lead, std::string& out) const;

 private:
  const ir::Program& program_;
  const engine::Graph& graph_;
  const OutputColumns& columns_;
  OutputFormat format_;
  RowSources sources_;
  bool needs_record_ = false;
};

}  // namespace leadscore::jobs
