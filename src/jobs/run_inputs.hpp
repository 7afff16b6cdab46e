#pragma once
// Rules compiled, leads loaded and events aggregated: what every command that scores starts from.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/diagnostics.hpp"
#include "engine/load/event_stream.hpp"

namespace leadscore::calibrate {
struct Weights;
}

namespace leadscore::jobs {

struct RunInputs {
  std::string rules;
  std::string leads;
  std::optional<std::string> activities;
  std::int64_t as_of = 0;
  engine::ReadOptions read;
  int threads = 1;
  // Use the calibrated points of the rules' `calibration "PATH"` declaration (calibrate turns it off).
  bool use_calibration = true;
  // Apply a weights file calibrated for another ruleset (a warning instead of an error).
  bool allow_other_ruleset = false;
  // Runs after the leads are loaded and before events are aggregated: may set a per-lead as_of
  // (point-in-time evaluation). Returns false with `error` to stop the run.
  std::function<bool(const ir::Program&, engine::LeadTable&, std::string& error)> before_events;
};

struct PreparedRun {
  ir::Program program;
  engine::Graph graph;
  engine::LeadTable leads;
  engine::AggregateState aggregates;
  engine::EventStats events;
  bool had_activities = false;
  std::int64_t as_of = 0;
  double leads_seconds = 0;   // reading the leads file
  double events_seconds = 0;  // the pass over the activity events
  // The weights whose calibrated points are in `graph` (null when none are declared or used).
  std::shared_ptr<const calibrate::Weights> weights;
};

// Returns false with diagnostics (rule errors) or a one-line `error`.
bool prepare_run(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error,
                 const engine::RejectSink& rejects = [](const engine::RejectedRow&) {});

// Evaluates lead `ordinal` alone into `state`; returns its row within the batch (0).
std::size_t evaluate_batch_of(const PreparedRun& run, std::size_t ordinal, engine::BatchState& state);
// Evaluates the batch of leads [first, first + rows) into `state`.
void evaluate_leads(const PreparedRun& run, std::size_t first, std::size_t rows, engine::BatchState& state);

}  // namespace leadscore::jobs
