#include "jobs/run_inputs.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "jobs/weights_check.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

int usable_threads(int requested) {
  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::clamp(requested, 1, hardware);
}

std::vector<io::NamedPath> files_the_rules_name(const ir::Program& program, const std::string& rules_path,
                                                bool with_weights) {
  std::vector<io::NamedPath> files;
  for (const auto& list : program.lists)
    if (!list.file.empty())
      files.push_back({list.file, fmt::format("the list file {} that {} names", list.file, rules_path)});
  if (with_weights && program.calibration_path)
    files.push_back({*program.calibration_path,
                     fmt::format("the weights file {} that {} names", *program.calibration_path, rules_path)});
  return files;
}

bool prepare_run(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error,
                 const RejectSink& rejects) {
  return prepare_rules(inputs, diags, run, error) && load_run_data(inputs, run, error, rejects);
}

bool prepare_rules(const RunInputs& inputs, Diagnostics& diags, PreparedRun& run, std::string& error) {
  auto program = load_rules(inputs.rules, diags);
  if (!program) return false;
  if (auto overlap = io::find_output_overlap(
          inputs.outputs, files_the_rules_name(*program, inputs.rules, inputs.use_calibration))) {
    error = *overlap;
    return false;
  }
  run.program = std::move(*program);
  run.graph = compile_program(run.program);
  run.points = written_points(run.graph);
  run.limits = written_limits(run.graph);
  run.thresholds.clear();
  run.as_of = inputs.as_of;
  if (inputs.use_calibration && run.program.calibration_path) {
    auto weights = std::make_shared<calibrate::Weights>();
    if (!calibrate::read_weights(*run.program.calibration_path, *weights, error)) return false;
    if (!check_weights_ruleset(run.program, *weights, inputs.allow_other_ruleset, diags, error)) return false;
    jobs::report_mismatch(run.program, jobs::match_weights(run.program, *weights), diags);
    run.points = calibrated_points(*weights, run.graph);
    adopt_scale(*weights, run.program, run.graph, run.limits, run.thresholds, diags);
    if (weights->source_field) run.extra_columns.push_back(column_for(run.program, *weights->source_field));
    run.weights = std::move(weights);
  }
  return true;
}

namespace {

BatchInput lead_batch(const PreparedRun& run, std::size_t first, std::size_t rows, const ScoringOverride& with) {
  BatchInput input;
  input.rows = rows;
  input.as_of = run.leads.as_of.data() + first;
  input.aggregates = &run.aggregates;
  input.first_lead = first;
  input.points = with.points ? with.points : &run.points;
  input.limits = with.limits ? with.limits : &run.limits;
  input.thresholds = with.thresholds ? with.thresholds : &run.thresholds;
  input.accounts = run.graph.has_accounts ? &run.accounts : nullptr;
  input.fields.resize(run.program.lead_fields.size());
  for (std::size_t f = 0; f < run.program.lead_fields.size(); ++f)
    if (run.leads.fields[f].type != ir::Type::Error) input.fields[f] = run.leads.fields[f].view(first);
  return input;
}

// The accounts file read as a table of its own: the account schema in place of the lead schema.
bool load_accounts_file(const RunInputs& inputs, PreparedRun& run, LeadTable& table, std::string& error) {
  ir::Program schema;
  schema.lead_fields = run.program.account_fields;
  schema.lead_id_field = run.program.account_id_field;
  Graph used;
  used.lead_field_used = run.graph.account_field_used;
  ReadOptions read = inputs.read;
  read.threads = 1;
  read.extra_columns.clear();
  read.all_columns_extra = false;
  read.row_noun = "account";
  auto rejects = [&](const RejectedRow& row) { run.account_rejects.emplace_back(row.line, row.reason); };
  if (!load_leads(schema, used, *inputs.accounts, read, run.as_of, table, rejects, error)) return false;
  run.account_rows_read = table.rows_read;
  return true;
}

}  // namespace

std::optional<std::string> refuse_account_sections(const PreparedRun& run, const std::string& rules,
                                                   const char* command) {
  for (const auto& s : run.program.sections)
    if (s.account)
      return fmt::format("{} has the account section `{}`: `{}` fits lead outcomes to lead rules and cannot weigh "
                         "account rules yet (see docs/accounts.md); run it on a copy of the rules without the "
                         "account sections",
                         rules, s.name, command);
  return std::nullopt;
}

// Groups the leads into accounts and computes every aggregate over an account's leads, in two passes
// over the leads before scoring: the keys, then what the aggregates read.
bool build_accounts(const RunInputs& inputs, PreparedRun& run, std::string& error) {
  run.account_rejects.clear();
  run.account_rows_read = 0;
  if (run.program.has_account_schema != inputs.accounts.has_value()) {
    error = run.program.has_account_schema
                ? fmt::format("{} declares `schema account`: give the accounts file with --accounts FILE", inputs.rules)
                : fmt::format("--accounts {}: {} has no `schema account` to read it with", *inputs.accounts,
                              inputs.rules);
    return false;
  }
  LeadTable file;
  if (inputs.accounts && !load_accounts_file(inputs, run, file, error)) return false;
  AccountBuilder builder(run.graph, run.leads.rows);
  BatchState state(run.graph, false);
  for (std::size_t first = 0; first < run.leads.rows; first += kBatchSize) {
    const std::size_t rows = std::min(kBatchSize, run.leads.rows - first);
    evaluate(run.graph, lead_batch(run, first, rows, {}), state, &run.graph.key_nodes);
    builder.add_keys(state, first, rows);
  }
  builder.group(inputs.accounts ? &file.ids : nullptr, inputs.accounts ? &file.fields : nullptr);
  for (std::size_t first = 0; first < run.leads.rows; first += kBatchSize) {
    const std::size_t rows = std::min(kBatchSize, run.leads.rows - first);
    BatchInput input = lead_batch(run, first, rows, {});
    input.accounts = &builder.state();  // the fields are ready; the aggregates are what this pass computes
    evaluate(run.graph, input, state, &run.graph.aggregate_input_nodes);
    builder.add_inputs(state, first, rows);
  }
  run.accounts = builder.finish();
  // Text of the accounts file outlives its table: the accounts' fields point into its arena.
  run.account_text = std::make_shared<LeadTable>(std::move(file));
  return true;
}

bool load_run_data(const RunInputs& inputs, PreparedRun& run, std::string& error, const RejectSink& rejects) {
  run.leads = LeadTable{};
  run.events = EventStats{};
  run.had_activities = false;
  run.as_of = inputs.as_of;
  ReadOptions read = inputs.read;
  run.threads = usable_threads(inputs.threads);
  read.threads = run.threads;
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
    if (!aggregate_events(run.program, run.graph, *inputs.activities, inputs.read, run.leads, run.threads,
                          run.aggregates, run.events, error))
      return false;
  }
  run.events_seconds = seconds_since(started);
  return run.graph.has_accounts ? build_accounts(inputs, run, error) : true;
}

BatchInput evaluate_leads(const PreparedRun& run, std::size_t first, std::size_t rows, BatchState& state,
                          const ScoringOverride& with) {
  BatchInput input = lead_batch(run, first, rows, with);
  evaluate(run.graph, input, state);
  return input;
}

}  // namespace leadscore::jobs
