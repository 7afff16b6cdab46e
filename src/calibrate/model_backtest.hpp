#pragma once
// The backtest block of one model (written points, calibrated points, a baseline) on test leads.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "calibrate/weights.hpp"

namespace leadscore::calibrate {

// Equal-width bins of the scores from the lowest to the highest, won and lost leads counted apart.
std::vector<HistogramBin> histogram(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels,
                                    std::size_t bins = 20);

// AUC and lift by decile of `scores`; Brier, log loss and reliability of the probabilities `p`; the
// MQL flag's precision/recall when given; precision/recall of the `volume` highest scores.
ModelBacktest backtest_model(const std::vector<double>& scores, const std::vector<double>& p,
                             const std::vector<std::uint8_t>& labels, const std::vector<std::uint8_t>* mql,
                             std::uint64_t volume);

// The largest |mean predicted - observed close rate| over the reliability bins (NaN without bins).
double max_reliability_gap(const ModelBacktest& backtest);

}  // namespace leadscore::calibrate
