#include "jobs/weights_check.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <memory>


namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

WeightsMismatch match_weights(const ir::Program& program, const Weights& weights) {
  WeightsMismatch m;
  std::vector<bool> seen(weights.rules.size(), false);
  for (const auto& section : program.sections)
    for (const auto& rule : section.rules) {
      bool found = false;
      for (std::size_t i = 0; i < weights.rules.size(); ++i)
        if (weights.rules[i].label == rule.label) {
          seen[i] = found = true;
          if (weights.rules[i].written_points != rule.points) m.changed.push_back(rule.label);
          break;
        }
      if (!found) m.missing_in_weights.push_back(rule.label);
    }
  for (std::size_t i = 0; i < weights.rules.size(); ++i)
    if (!seen[i]) m.missing_in_rules.push_back(weights.rules[i].label);
  return m;
}

void report_mismatch(const ir::Program& program, const WeightsMismatch& m, Diagnostics& diags) {
  const std::string& path = *program.calibration_path;
  for (const auto& label : m.missing_in_weights)
    diags.warning(program.source, program.calibration_pos, Code::CalibrationOutOfDate,
                  fmt::format("rule \"{}\" has no calibrated weight in {}: its written points are used", label, path),
                  "re-run `leadscore calibrate` after adding or renaming rules");
  for (const auto& label : m.missing_in_rules)
    diags.warning(program.source, program.calibration_pos, Code::CalibrationOutOfDate,
                  fmt::format("{} has a weight for \"{}\", which is not a rule of this file", path, label),
                  "a renamed or deleted rule: re-run `leadscore calibrate`");
  for (const auto& label : m.changed)
    diags.warning(program.source, program.calibration_pos, Code::CalibrationOutOfDate,
                  fmt::format("rule \"{}\" changed its written points since {} was calibrated", label, path),
                  "the calibrated points still apply; re-run `leadscore calibrate` to refresh them");
}

namespace {

std::string other_ruleset_message(const ir::Program& program, const Weights& weights) {
  return fmt::format("{} was calibrated for ruleset \"{}\" version {} (rules hash {}), not for these rules: "
                     "\"{}\" version {} (rules hash {})",
                     *program.calibration_path, weights.ruleset, weights.ruleset_version, weights.rules_hash,
                     program.name, program.version, program.rules_hash);
}

}  // namespace

bool check_weights_ruleset(const ir::Program& program, const Weights& weights, bool allow_other, Diagnostics& diags,
                           std::string& error) {
  if (weights.rules_hash == program.rules_hash) return true;
  std::string message = other_ruleset_message(program, weights);
  if (!allow_other) {
    error = message + "; re-run `leadscore calibrate` on these rules, or pass --allow-other-ruleset to apply it anyway";
    return false;
  }
  diags.warning(program.source, program.calibration_pos, Code::CalibrationOtherRuleset,
                message + "; applied anyway (--allow-other-ruleset)",
                "re-run `leadscore calibrate` on these rules");
  return true;
}

void check_weights(const ir::Program& program, Diagnostics& diags) {
  if (!program.calibration_path) return;
  Weights weights;
  std::string error;
  if (!read_weights(*program.calibration_path, weights, error)) {
    diags.warning(program.source, program.calibration_pos, Code::CalibrationUnreadable, error,
                  "`leadscore score` fails until the file exists: run `leadscore calibrate ... --out` to write it");
    return;
  }
  if (weights.rules_hash != program.rules_hash)
    diags.warning(program.source, program.calibration_pos, Code::CalibrationOtherRuleset,
                  other_ruleset_message(program, weights),
                  "`score`, `explain` and `diff` refuse it: re-run `leadscore calibrate` on these rules, or pass "
                  "--allow-other-ruleset to them");
  report_mismatch(program, match_weights(program, weights), diags);
}

engine::PointsTable calibrated_points(const Weights& weights, const engine::Graph& graph) {
  engine::PointsTable table = engine::written_points(graph);
  for (const auto& section : graph.sections)
    for (const auto& rule : section.rules)
      if (const RuleWeight* w = weights.find(rule.label)) {
        auto& entry = table[static_cast<std::size_t>(rule.ordinal)];
        entry.points = w->points;
        if (rule.each) entry.cap = w->cap;
      }
  return table;
}

void close_columns(const Weights& weights, const ir::Program& program, const engine::LeadTable& leads,
                   CloseColumns& close) {
  auto shared = std::make_shared<Weights>(weights);
  close.p_close = [shared](double score) { return shared->p_close(score); };
  const double overall = weights.revenue_average.value_or(std::numeric_limits<double>::quiet_NaN());
  close.value_per_won.assign(leads.rows, overall);
  if (!weights.source_field || weights.revenue_by_source.empty()) return;
  const engine::Column* source = engine::extra_column(leads, column_for(program, *weights.source_field));
  if (!source) return;
  for (std::size_t l = 0; l < leads.rows; ++l)
    close.value_per_won[l] = weights.revenue_for(source->valid[l] ? source->str[l] : std::string_view{}).value_or(overall);
}

std::string column_for(const ir::Program& program, const std::string& name) {
  for (const auto& f : program.lead_fields)
    if (f.name == name && !f.from_row_number) return f.column;
  return name;
}

}  // namespace leadscore::jobs
