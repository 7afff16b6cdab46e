#pragma once
// Platt scaling: a logistic curve from score to probability of closing.
#include <cstdint>
#include <span>

namespace leadscore::calibrate {

struct PlattModel {
  double a = 0.0;  // slope per score point
  double b = 0.0;  // log-odds at score 0
  int iterations = 0;
  bool converged = false;  // false also when plain targets meet perfectly separated scores

  // 1 / (1 + exp(-(a * score + b)))
  double predict(double score) const;
};

struct PlattOptions {
  // Platt's (1999) targets: positives count as (P + 1) / (P + 2), negatives as 1 / (N + 2), so that
  // perfectly separated scores still give a finite curve. false: plain maximum likelihood on 0/1.
  bool smoothed_targets = true;
};

// Fits a and b by unpenalised maximum likelihood (scores are standardised internally, the result
// is on the original score scale). When every score is equal, a = 0 and b is the log-odds of the
// mean target. Throws std::invalid_argument on mismatched sizes, no rows, labels other than 0/1
// or non-finite scores.
PlattModel platt_fit(std::span<const double> scores, std::span<const std::uint8_t> labels,
                     const PlattOptions& options = {});

}  // namespace leadscore::calibrate
