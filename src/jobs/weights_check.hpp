#pragma once
// Using a weights file with the rules it was calibrated for: label matching, the warnings `check`
// and `score` show when the two disagree, and putting the calibrated points into a compiled graph.
#include <memory>
#include <string>
#include <vector>

#include "calibrate/weights.hpp"
#include "common/diagnostics.hpp"
#include "engine/exec/points.hpp"
#include "engine/plan/graph.hpp"
#include "engine/check/program.hpp"
#include "engine/lint/score_ranges.hpp"
#include "jobs/result_writer.hpp"

namespace leadscore::jobs {

struct WeightsMismatch {
  std::vector<std::string> missing_in_weights;  // rule labels of the rules file the weights do not know
  std::vector<std::string> missing_in_rules;    // weights labels no rule of the file has
  std::vector<std::string> changed;             // rules whose written points differ from when calibrated
};

WeightsMismatch match_weights(const ir::Program& program, const calibrate::Weights& weights);

// Warnings, at the `calibration` declaration, for each label missing on either side and each rule
// whose written points changed since calibration; for limits and thresholds without an adopted
// value; and thresholds the calibrated points can never reach (or always pass). Does nothing when
// no calibration is declared. An unreadable weights file is a warning here (check) and an error when
// scoring.
void check_weights(const ir::Program& program, Diagnostics& diags);

// The calibrated points, adopted limits and thresholds as the range analysis of engine/lint reads them.
std::unique_ptr<ScoringNumbers> scoring_numbers(const calibrate::Weights& weights, const ir::Program& program,
                                                const engine::Graph& graph, const engine::LimitsTable& limits,
                                                const engine::ThresholdTable& thresholds);
void report_mismatch(const ir::Program& program, const WeightsMismatch& mismatch, Diagnostics& diags);

// A weights file applies to the ruleset whose rules hash it records (engine/check/ruleset_hash.hpp).
// Otherwise: false with an error naming both hashes and the remedy, or, when `allow_other` (the
// --allow-other-ruleset option), a warning at the `calibration` declaration and true.
bool check_weights_ruleset(const ir::Program& program, const calibrate::Weights& weights, bool allow_other,
                           Diagnostics& diags, std::string& error);

// The points a calibrated run scores with: each rule's entry in the weights (points, and the cap of
// an each-rule), found by label; rules without an entry keep their written points.
engine::PointsTable calibrated_points(const calibrate::Weights& weights, const engine::Graph& graph);

// The section limits and score thresholds a calibrated run scores with: the weights' adopted values,
// found by section and by threshold (`fit >= 30`). A limit or threshold the weights do not know
// stays as written, with a warning at the `calibration` declaration (as does everything, with one
// warning, for a version 1 weights file that adopted nothing).
void adopt_scale(const calibrate::Weights& weights, const ir::Program& program, const engine::Graph& graph,
                 engine::LimitsTable& limits, engine::ThresholdTable& thresholds, Diagnostics& diags);

// The p_close / expected_value columns of `score`: the weights' probability curve, and each lead's
// average revenue per won lead by its source (the leads' extra column of --source-field, which
// prepare_rules() asks for; the overall average otherwise; NaN without amounts).
void close_columns(const calibrate::Weights& weights, const ir::Program& program, const engine::LeadTable& leads,
                   CloseColumns& close);

// The CSV header a name stands for: a lead field's column (`from "..."`) when `name` is a lead
// field of the program, else `name` itself.
std::string column_for(const ir::Program& program, const std::string& name);

}  // namespace leadscore::jobs
