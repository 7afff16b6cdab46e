#pragma once
// Grouped backtest tables: lift by score decile and reliability of predicted probabilities.
//
// Groups are equal-count by rank, but rows with equal values are never split: a run of tied
// values goes, whole, to the group in which its first row falls (the run starting at sorted
// position s of n rows goes to group floor(s * groups / n)). Groups can therefore be uneven, and
// a group swallowed by a long tie run is omitted. Same input, same table, whatever the row order.
// Throws std::invalid_argument on inputs of different lengths, labels other than 0/1, non-finite
// scores or probabilities outside [0, 1]. A ratio with a zero denominator is NaN.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace leadscore::calibrate {

struct DecileRow {
  int decile = 0;  // 1 = highest scores
  std::uint64_t count = 0;
  std::uint64_t positives = 0;
  double rate = 0.0;                // positives / count
  double lift = 0.0;                // rate / overall rate
  double cumulative_capture = 0.0;  // share of all positives in deciles 1..this one
  double min_score = 0.0;
  double max_score = 0.0;
};

std::vector<DecileRow> lift_by_decile(std::span<const double> scores, std::span<const std::uint8_t> labels);

struct ReliabilityBin {
  std::uint64_t count = 0;
  double mean_predicted = 0.0;
  double observed_rate = 0.0;
  double min_predicted = 0.0;
  double max_predicted = 0.0;
};

// Equal-count bins by predicted probability, lowest first. Throws when bins == 0.
std::vector<ReliabilityBin> reliability_table(std::span<const double> probabilities,
                                              std::span<const std::uint8_t> labels, std::size_t bins = 10);

}  // namespace leadscore::calibrate
