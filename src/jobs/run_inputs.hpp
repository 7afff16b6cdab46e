#pragma once
// Rules compiled, leads loaded and events aggregated: what every command that scores starts from.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/diagnostics.hpp"
#include "engine/exec/account_state.hpp"
#include "engine/exec/points.hpp"
#include "engine/load/event_stream.hpp"
#include "io/path_identity.hpp"

namespace leadscore::calibrate {
struct Weights;
}

namespace leadscore::jobs {

struct RunInputs {
  std::string rules;
  std::string leads;
  std::optional<std::string> activities;
  std::optional<std::string> accounts;  // the accounts file (`schema account`)
  std::int64_t as_of = 0;
  engine::ReadOptions read;
  int threads = 1;  // asked for; no more than usable_threads() are used
  // Use the calibrated points of the rules' `calibration "PATH"` declaration (calibrate turns it off).
  bool use_calibration = true;
  // Apply a weights file calibrated for another ruleset (a warning instead of an error).
  bool allow_other_ruleset = false;
  // Runs after the leads are loaded and before events are aggregated: may set a per-lead as_of
  // (point-in-time evaluation). Returns false with `error` to stop the run.
  std::function<bool(const ir::Program&, engine::LeadTable&, std::string& error)> before_events;
  // The files the command will write. The command line checks them against its own inputs; the
  // files the rules name (list files, the weights file) are only known once the rules are loaded,
  // so prepare_run refuses an output that is one of those before it reads anything else.
  std::vector<io::NamedPath> outputs;
};

struct PreparedRun {
  ir::Program program;
  engine::Graph graph;
  engine::PointsTable points;  // what scoring uses: the written points, or the calibrated ones
  engine::LimitsTable limits;  // each section's max/min: written, or adopted with the calibrated points
  engine::ThresholdTable thresholds;  // adopted score thresholds (empty: as written)
  std::vector<std::string> extra_columns;  // lead columns the rules' weights need (a source column)
  engine::LeadTable leads;
  engine::AggregateState aggregates;
  engine::EventStats events;
  bool had_activities = false;
  // Accounts (when the rules declare an `account key`): the grouping, fields and aggregates, and the
  // accounts file's figures (rows read, rejected rows with their line and reason).
  engine::AccountState accounts;
  std::uint64_t account_rows_read = 0;
  std::vector<std::pair<std::uint64_t, std::string>> account_rejects;
  std::shared_ptr<const engine::LeadTable> account_text;  // the accounts file's table: owns the fields' text
  std::int64_t as_of = 0;
  int threads = 1;            // the threads used: usable_threads(inputs.threads)
  double leads_seconds = 0;   // reading the leads file
  double events_seconds = 0;  // the pass over the activity events
  // The weights whose calibrated points are in `points` (null when none are declared or used).
  std::shared_ptr<const calibrate::Weights> weights;
};

// No more threads than the machine has hardware threads: each one holds per-thread state (an
// events part keeps one accumulator row per lead: 19 MB at 300k leads), and more threads than
// cores only add that memory, never speed (8.1 GB peak at 256 threads on 300k leads before this cap).
int usable_threads(int requested);

// The files a loaded ruleset reads besides the rules file: its list files, and its weights file when
// `with_weights` (calibrate does not read the weights file it is about to replace).
std::vector<io::NamedPath> files_the_rules_name(const ir::Program& program, const std::string& rules_path,
                                                bool with_weights);

// Returns false with diagnostics (rule errors) or a one-line `error`. The same as prepare_rules()
// followed by load_run_data().
bool prepare_run(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error,
                 const engine::RejectSink& rejects = [](const engine::RejectedRow&) {});

// The rules compiled, with their points (calibrated when declared). False with diagnostics or `error`.
bool prepare_rules(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error);
// The leads and events of `inputs` loaded into a run whose rules are prepared (replacing any loaded before).
bool load_run_data(const RunInputs& inputs, PreparedRun& run, std::string& error,
                   const engine::RejectSink& rejects = [](const engine::RejectedRow&) {});

// `calibrate` and `suggest` fit lead outcomes to the rules of lead sections: an account section's points
// cannot be fitted that way yet. The refusal, or nothing when the rules have no account section.
std::optional<std::string> refuse_account_sections(const PreparedRun& run, const std::string& rules,
                                                   const char* command);

// Reads the accounts file (when given) and groups the loaded leads into accounts (load_run_data does
// it when the rules have an `account key`).
bool build_accounts(const RunInputs& inputs, PreparedRun& run, std::string& error);

// Points, limits and thresholds to score with instead of the run's own (calibrate tries fitted ones);
// each null one is the run's.
struct ScoringOverride {
  const engine::PointsTable* points = nullptr;
  const engine::LimitsTable* limits = nullptr;
  const engine::ThresholdTable* thresholds = nullptr;
};

// Evaluates the batch of leads [first, first + rows) into `state` with the run's points, limits and
// thresholds (or those of `with`) and returns the batch's input, which engine::record_lead() needs
// to read the outcomes.
engine::BatchInput evaluate_leads(const PreparedRun& run, std::size_t first, std::size_t rows,
                                  engine::BatchState& state, const ScoringOverride& with = {});

}  // namespace leadscore::jobs
