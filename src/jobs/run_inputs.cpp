#include "jobs/run_inputs.hpp"

#include <chrono>

#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "jobs/weights_check.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

bool prepare_run(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error,
                 const RejectSink& rejects) {
  return prepare_rules(inputs, diags, run, error) && load_run_data(inputs, run, error, rejects);
}

bool prepare_rules(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error) {
  auto program = load_rules(inputs.rules, diags);
  if (!program) return false;
  run.program = std::move(*program);
  run.graph = compile_program(run.program);
  run.points = written_points(run.graph);
  run.as_of = inputs.as_of;
  if (inputs.use_calibration && run.program.calibration_path) {
    auto weights = std::make_shared<calibrate::Weights>();
    if (!calibrate::read_weights(*run.program.calibration_path, *weights, error)) return false;
    jobs::report_mismatch(run.program, jobs::match_weights(run.program, *weights), diags);
    run.points = calibrated_points(*weights, run.graph);
    if (weights->source_field) run.extra_columns.push_back(column_for(run.program, *weights->source_field));
    run.weights = std::move(weights);
  }
  return true;
}

bool load_run_data(const RunInputs& inputs, PreparedRun& run, std::string& error, const RejectSink& rejects) {
  run.leads = LeadTable{};
  run.events = EventStats{};
  run.had_activities = false;
  run.as_of = inputs.as_of;
  ReadOptions read = inputs.read;
  read.threads = inputs.threads;
  read.extra_columns.insert(read.extra_columns.end(), run.extra_columns.begin(), run.extra_columns.end());
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

BatchInput evaluate_leads(const PreparedRun& run, std::size_t first, std::size_t rows, BatchState& state,
                          const PointsTable* points) {
  BatchInput input;
  input.rows = rows;
  input.as_of = run.leads.as_of.data() + first;
  input.aggregates = &run.aggregates;
  input.first_lead = first;
  input.points = points ? points : &run.points;
  input.fields.resize(run.program.lead_fields.size());
  for (std::size_t f = 0; f < run.program.lead_fields.size(); ++f)
    if (run.leads.fields[f].type != ir::Type::Error) input.fields[f] = run.leads.fields[f].view(first);
  evaluate(run.graph, input, state);
  return input;
}

}  // namespace leadscore::jobs
