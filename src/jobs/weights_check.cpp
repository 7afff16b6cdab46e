#include "jobs/weights_check.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <memory>

#include "jobs/lead_columns.hpp"

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
    diags.warning(program.source, program.calibration_pos,
                  fmt::format("rule \"{}\" has no calibrated weight in {}: its written points are used", label, path),
                  "re-run `leadscore calibrate` after adding or renaming rules");
  for (const auto& label : m.missing_in_rules)
    diags.warning(program.source, program.calibration_pos,
                  fmt::format("{} has a weight for \"{}\", which is not a rule of this file", path, label),
                  "a renamed or deleted rule: re-run `leadscore calibrate`");
  for (const auto& label : m.changed)
    diags.warning(program.source, program.calibration_pos,
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
  diags.warning(program.source, program.calibration_pos, message + "; applied anyway (--allow-other-ruleset)",
                "re-run `leadscore calibrate` on these rules");
  return true;
}

void check_weights(const ir::Program& program, Diagnostics& diags) {
  if (!program.calibration_path) return;
  Weights weights;
  std::string error;
  if (!read_weights(*program.calibration_path, weights, error)) {
    diags.warning(program.source, program.calibration_pos, error,
                  "`leadscore score` fails until the file exists: run `leadscore calibrate ... --out` to write it");
    return;
  }
  if (weights.rules_hash != program.rules_hash)
    diags.warning(program.source, program.calibration_pos, other_ruleset_message(program, weights),
                  "`score`, `explain` and `diff` refuse it: re-run `leadscore calibrate` on these rules, or pass "
                  "--allow-other-ruleset to them");
  report_mismatch(program, match_weights(program, weights), diags);
}

void apply_weights(const Weights& weights, engine::Graph& graph) {
  for (auto& section : graph.sections)
    for (auto& rule : section.rules)
      if (const RuleWeight* w = weights.find(rule.label)) {
        rule.points = w->points;
        if (rule.each) rule.cap = w->cap;
      }
}

bool close_columns(const Weights& weights, const ir::Program& program, const engine::LeadTable& leads,
                   const std::string& leads_path, char delimiter, CloseColumns& close, std::string& error) {
  auto shared = std::make_shared<Weights>(weights);
  close.p_close = [shared](double score) { return shared->p_close(score); };
  const double overall = weights.revenue_average.value_or(std::numeric_limits<double>::quiet_NaN());
  close.value_per_won.assign(leads.rows, overall);
  if (!weights.source_field || weights.revenue_by_source.empty()) return true;
  std::vector<std::vector<std::string>> cells;
  if (!read_lead_columns(leads_path, delimiter, {column_for(program, *weights.source_field)}, leads, cells, error))
    return false;
  for (std::size_t l = 0; l < leads.rows; ++l)
    close.value_per_won[l] = weights.revenue_for(cells[0][l]).value_or(overall);
  return true;
}

}  // namespace leadscore::jobs
