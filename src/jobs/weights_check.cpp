#include "jobs/weights_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <tuple>

#include "engine/exec/constant_folder.hpp"
#include "io/number_format.hpp"


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
  const engine::Graph graph = engine::compile_program(program);
  LimitsTable limits = written_limits(graph);
  ThresholdTable thresholds;
  adopt_scale(weights, program, graph, limits, thresholds, diags);
  lint_score_ranges(program, scoring_numbers(weights, program, graph, limits, thresholds).get(), diags);
}

std::unique_ptr<ScoringNumbers> scoring_numbers(const Weights& weights, const ir::Program& program, const Graph& graph,
                                                const LimitsTable& limits, const ThresholdTable& thresholds) {
  auto numbers = std::make_unique<ScoringNumbers>();
  numbers->source = fmt::format("with the calibrated points of {}", *program.calibration_path);
  const PointsTable points = calibrated_points(weights, graph);
  for (std::size_t s = 0; s < graph.sections.size(); ++s) {
    auto& rules = numbers->rules.emplace_back();
    for (const auto& rule : graph.sections[s].rules) {
      const RulePoints& p = points[static_cast<std::size_t>(rule.ordinal)];
      rules.push_back(ScoringNumbers::Rule{p.points, p.cap});
    }
    numbers->limits.push_back({limits[s].max, limits[s].min});
  }
  for (const auto& t : score_thresholds(graph))
    for (const auto& v : thresholds)
      if (v.node == t.node && v.arg == t.arg) numbers->thresholds[threshold_key(graph, t)] = v.value;
  return numbers;
}

namespace {

std::string limit_text(const char* kind, double value) { return fmt::format("{} {}", kind, io::format_number(value)); }

}  // namespace

void adopt_scale(const Weights& weights, const ir::Program& program, const Graph& graph, LimitsTable& limits,
                 ThresholdTable& thresholds, Diagnostics& diags) {
  const std::string& path = *program.calibration_path;
  const auto found = score_thresholds(graph);
  bool has_limits = false;
  for (const auto& s : graph.sections) has_limits = has_limits || s.max || s.min;
  if (!weights.adopted) {
    if (has_limits || !found.empty())
      diags.warning(program.source, program.calibration_pos, Code::CalibrationOutOfDate,
                    fmt::format("{} adopts no limits or thresholds (it was written by an older leadscore): section "
                                "limits and the numbers `mql`, classify and gates compare scores with stay on the "
                                "written scale while the points are calibrated",
                                path),
                    "re-run `leadscore calibrate` to adopt them (docs/calibration.md, \"One consistent model\")");
    return;
  }
  for (std::size_t s = 0; s < graph.sections.size(); ++s) {
    const auto& section = graph.sections[s];
    auto adopt = [&](const char* kind, const std::optional<double>& written, std::optional<double>& out) {
      if (!written) return;
      const AdoptedLimit* a = weights.find_limit(section.name, kind);
      if (!a) {
        diags.warning(program.source, program.calibration_pos, Code::CalibrationOutOfDate,
                      fmt::format("section `{}`'s {} has no adopted value in {}: it applies as written to the "
                                  "calibrated points", section.name, limit_text(kind, *written), path),
                      "re-run `leadscore calibrate` after adding or changing limits");
        return;
      }
      if (a->written != *written)
        diags.warning(program.source, program.calibration_pos, Code::CalibrationOutOfDate,
                      fmt::format("section `{}`'s {} was {} when {} was calibrated: the adopted {} still applies",
                                  section.name, limit_text(kind, *written), io::format_number(a->written), path,
                                  limit_text(kind, a->adopted)),
                      "re-run `leadscore calibrate` to adopt the new limit");
      out = a->adopted;
    };
    adopt("max", section.max, limits[s].max);
    adopt("min", section.min, limits[s].min);
  }
  for (const auto& t : found) {
    if (t.op == Op::Eq || t.op == Op::Ne) continue;
    const std::string key = threshold_key(graph, t);
    if (const AdoptedThreshold* a = weights.find_threshold(key)) {
      thresholds.push_back(ThresholdValue{t.node, t.arg, a->adopted});
      continue;
    }
    diags.warning(program.source, t.pos, Code::CalibrationOutOfDate,
                  fmt::format("`{}` has no adopted threshold in {}: it compares the calibrated points with the "
                              "written number", key, path),
                  "re-run `leadscore calibrate` after changing thresholds");
  }
  std::sort(thresholds.begin(), thresholds.end(),
            [](const ThresholdValue& a, const ThresholdValue& b) { return std::tie(a.node, a.arg) < std::tie(b.node, b.arg); });
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
