#pragma once
// Backtest metrics of scores and predicted probabilities against closed-won labels (1 = won).
// A ratio whose denominator is zero (no positives, nothing selected, ...) is NaN: undefined, not 0.
// Every function throws std::invalid_argument on inputs of different lengths, labels other than
// 0/1, non-finite scores, or probabilities outside [0, 1].
#include <cstdint>
#include <span>

namespace leadscore::calibrate {

// Area under the ROC curve = P(score of a random won lead > score of a random lost lead), ties
// counting 1/2 (Mann-Whitney U from mid-ranks; O(n log n)). NaN without both classes.
double auc(std::span<const double> scores, std::span<const std::uint8_t> labels);

// mean((p - y)^2). NaN on no rows.
double brier(std::span<const double> probabilities, std::span<const std::uint8_t> labels);

// -mean(y ln p + (1 - y) ln(1 - p)), p clamped to [eps, 1 - eps]. NaN on no rows.
double log_loss(std::span<const double> probabilities, std::span<const std::uint8_t> labels, double eps = 1e-15);

struct SelectionQuality {
  std::uint64_t rows = 0;
  std::uint64_t positives = 0;       // won leads
  std::uint64_t selected = 0;        // e.g. leads flagged MQL
  std::uint64_t true_positives = 0;  // selected and won
  double precision = 0.0;            // true_positives / selected
  double recall = 0.0;               // true_positives / positives
  double volume_share = 0.0;         // selected / rows
};

// How well a 0/1 selection (such as the MQL flag) picks out won leads.
SelectionQuality precision_recall(std::span<const std::uint8_t> selected, std::span<const std::uint8_t> labels);

}  // namespace leadscore::calibrate
