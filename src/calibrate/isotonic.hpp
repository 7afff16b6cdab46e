#pragma once
// Isotonic regression: the best non-decreasing step function from score to close rate.
#include <cstdint>
#include <span>
#include <vector>

namespace leadscore::calibrate {

struct IsotonicModel {
  // Step i covers scores from thresholds[i] (the lowest score pooled into it) up to the next
  // threshold. values are strictly increasing; counts are the rows pooled into each step.
  std::vector<double> thresholds;
  std::vector<double> values;
  std::vector<std::uint64_t> counts;

  // Value of the step holding score: piecewise constant, the first value below thresholds[0]
  // and the last above the last threshold.
  double predict(double score) const;
};

// Pool-adjacent-violators on (score, label): rows with equal scores are pooled first, then adjacent
// blocks are merged while a block's rate is not below the next one's, each block's value being
// its rows' close rate. Throws std::invalid_argument on mismatched sizes, no rows, labels other
// than 0/1 or non-finite scores.
IsotonicModel isotonic_fit(std::span<const double> scores, std::span<const std::uint8_t> labels);

}  // namespace leadscore::calibrate
