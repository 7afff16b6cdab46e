#include "calibrate/platt.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "calibrate/input_checks.hpp"
#include "calibrate/logistic_newton.hpp"

namespace leadscore::calibrate {

double PlattModel::predict(double score) const { return detail::sigmoid(a * score + b); }

PlattModel platt_fit(std::span<const double> scores, std::span<const std::uint8_t> labels,
                     const PlattOptions& options) {
  constexpr const char* what = "platt_fit";
  detail::require_same_size(scores.size(), labels.size(), what);
  detail::require_non_empty(labels.size(), what);
  detail::require_binary(labels, what);

  const double n = static_cast<double>(labels.size());
  const double positives = static_cast<double>(detail::count_ones(labels));
  const double negatives = n - positives;
  const double positive_target = options.smoothed_targets ? (positives + 1.0) / (positives + 2.0) : 1.0;
  const double negative_target = options.smoothed_targets ? 1.0 / (negatives + 2.0) : 0.0;
  std::vector<double> targets(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) targets[i] = labels[i] != 0 ? positive_target : negative_target;

  double mean = 0.0;
  for (double s : scores) {
    if (!std::isfinite(s)) throw std::invalid_argument("platt_fit: scores must be finite");
    mean += s;
  }
  mean /= n;
  double variance = 0.0;
  for (double s : scores) variance += (s - mean) * (s - mean);
  const double spread = std::sqrt(variance / n);

  const bool constant_scores = !(spread > 0.0);
  std::vector<double> standardised(constant_scores ? 0 : scores.size());
  for (std::size_t i = 0; i < standardised.size(); ++i) standardised[i] = (scores[i] - mean) / spread;

  LogisticOptions unpenalised;
  unpenalised.l2 = 0.0;
  const std::size_t feature_count = constant_scores ? 0 : 1;
  const LogisticFit fit =
      detail::newton_fit(detail::DenseDesign(standardised, labels.size(), feature_count), targets, unpenalised);

  PlattModel model;
  model.a = constant_scores ? 0.0 : fit.coefficients[0] / spread;
  model.b = fit.intercept - model.a * mean;
  model.iterations = fit.iterations;
  // Only plain targets on perfectly separated scores make the system singular; a runaway slope is not converged.
  model.converged = fit.converged && !fit.singular;
  return model;
}

}  // namespace leadscore::calibrate
