#pragma once
// A calibrated ruleset as one consistent model: the section limits and the numbers that `mql`,
// classify, gates and lets compare scores with, re-expressed for the calibrated points at the same
// share of the calibration leads (limits moved further out when that share would cost more than a
// little AUC). See docs/calibration.md, "One consistent model".
#include <cstdint>
#include <vector>

#include "calibrate/weights.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

// AUC a section limit may cost on the calibration leads, against the same points without limits.
inline constexpr double kLimitAucTolerance = 0.005;

// The MQL share of the calibration leads may move by at most this much (percentage points), or by
// kMqlShareRelative of itself when that is more; calibrate warns otherwise.
inline constexpr double kMqlShareAbsolute = 0.02;
inline constexpr double kMqlShareRelative = 0.2;

// Every lead scored with one set of points, limits and thresholds.
struct SectionScores {
  std::vector<std::vector<double>> value, unlimited;  // [section][lead]: after and before its limits
  std::vector<double> score;
  std::vector<std::uint8_t> mql;
  std::vector<std::vector<std::int32_t>> branch;  // [classify][lead], -1: no branch
};
SectionScores score_sections(const PreparedRun& run, const ScoringOverride& with);

struct AdoptedScale {
  engine::LimitsTable limits;
  engine::ThresholdTable thresholds;
  calibrate::Adoption report;
  SectionScores scores;  // with the calibrated points and the adopted limits and thresholds
};

// Adopts limits and thresholds for `points` on the calibration leads `rows` (lead ordinals with won
// and lost leads; label[lead] is 1 for won). `written`: every lead scored as written. Only the labels
// of `rows` are read.
AdoptedScale adopt_scale_for(const PreparedRun& run, const SectionScores& written, const engine::PointsTable& points,
                             const std::vector<std::size_t>& rows, const std::vector<std::uint8_t>& label);

// Warnings about an adoption: a classify value that empties, an MQL share that moves more than the
// policy allows, a limit that was widened, comparisons left as written.
std::vector<calibrate::WeightsWarning> adoption_warnings(const calibrate::Adoption& adoption);

}  // namespace leadscore::jobs
