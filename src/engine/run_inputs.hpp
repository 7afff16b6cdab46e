#pragma once
// Rules compiled, leads loaded and events aggregated: what every command that scores starts from.
#include <optional>
#include <string>

#include "common/diagnostics.hpp"
#include "engine/event_stream.hpp"

namespace leadscore::engine {

struct RunInputs {
  std::string rules;
  std::string leads;
  std::optional<std::string> activities;
  std::int64_t as_of = 0;
  ReadOptions read;
  int threads = 1;
};

struct PreparedRun {
  ir::Program program;
  Graph graph;
  LeadTable leads;
  AggregateState aggregates;
  EventStats events;
  bool had_activities = false;
  std::int64_t as_of = 0;
};

// Returns false with diagnostics (rule errors) or a one-line `error`.
bool prepare_run(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error,
                 const RejectSink& rejects = [](const RejectedRow&) {});

// Evaluates the lead batch holding `ordinal` into `state`; returns the lead's row within the batch.
std::size_t evaluate_batch_of(const PreparedRun& run, std::size_t ordinal, BatchState& state);
// Evaluates the batch of leads [first, first + rows) into `state`.
void evaluate_leads(const PreparedRun& run, std::size_t first, std::size_t rows, BatchState& state);

}  // namespace leadscore::engine
