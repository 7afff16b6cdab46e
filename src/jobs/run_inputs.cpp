#include "jobs/run_inputs.hpp"

#include <chrono>

#include "jobs/weights_check.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

bool prepare_run(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error,
                 const RejectSink& rejects) {
  auto program = load_rules(inputs.rules, diags);
  if (!program) return false;
  run.program = std::move(*program);
  run.graph = compile_program(run.program);
  run.as_of = inputs.as_of;
  if (inputs.use_calibration && run.program.calibration_path) {
    auto weights = std::make_shared<calibrate::Weights>();
    if (!calibrate::read_weights(*run.program.calibration_path, *weights, error)) return false;
    if (!check_weights_ruleset(run.program, *weights, inputs.allow_other_ruleset, diags, error)) return false;
    jobs::report_mismatch(run.program, jobs::match_weights(run.program, *weights), diags);
    jobs::apply_weights(*weights, run.graph);
    run.weights = std::move(weights);
  }
  ReadOptions read = inputs.read;
  read.threads = inputs.threads;
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  auto started = std::chrono::steady_clock::now();
  if (!load_leads(run.program, run.graph, inputs.leads, read, inputs.as_of, run.leads, rejects, error))
    return false;
  run.leads_seconds = seconds_since(started);
  if (inputs.before_events && !inputs.before_events(run.program, run.leads, error)) return false;
  started = std::chrono::steady_clock::now();
  run.aggregates.init(run.graph, run.leads.rows);
  if (inputs.activities && run.program.has_activity) {
    run.had_activities = true;
    if (!aggregate_events(run.program, run.graph, *inputs.activities, inputs.read, run.leads, inputs.threads,
                          run.aggregates, run.events, error))
      return false;
  }
  run.events_seconds = seconds_since(started);
  return true;
}

void evaluate_leads(const PreparedRun& run, std::size_t first, std::size_t rows, BatchState& state) {
  BatchInput input;
  input.rows = rows;
  input.as_of = run.leads.as_of.data() + first;
  input.aggregates = &run.aggregates;
  input.first_lead = first;
  input.fields.resize(run.program.lead_fields.size());
  for (std::size_t f = 0; f < run.program.lead_fields.size(); ++f)
    if (run.leads.fields[f].type != ir::Type::Error) input.fields[f] = run.leads.fields[f].view(first);
  evaluate(run.graph, false, input, state);
}

std::size_t evaluate_batch_of(const PreparedRun& run, std::size_t ordinal, BatchState& state) {
  evaluate_leads(run, ordinal, 1, state);  // a batch of one: the same kernels, on just this lead
  return 0;
}

}  // namespace leadscore::jobs
