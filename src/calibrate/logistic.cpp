#include "calibrate/logistic.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "calibrate/input_checks.hpp"
#include "calibrate/logistic_newton.hpp"

namespace leadscore::calibrate {
namespace {

// Rows' matched indicators in compressed sparse row form.
class IndicatorDesign {
 public:
  IndicatorDesign(std::span<const std::vector<std::uint8_t>> columns, std::size_t rows)
      : row_starts_(rows + 1, 0), features_(columns.size()) {
    for (const std::vector<std::uint8_t>& column : columns) {
      for (std::size_t i = 0; i < rows; ++i) row_starts_[i + 1] += column[i];
    }
    for (std::size_t i = 0; i < rows; ++i) row_starts_[i + 1] += row_starts_[i];
    matched_features_.resize(row_starts_[rows]);
    std::vector<std::size_t> next = row_starts_;
    for (std::size_t j = 0; j < columns.size(); ++j) {
      for (std::size_t i = 0; i < rows; ++i) {
        if (columns[j][i] != 0) matched_features_[next[i]++] = j;
      }
    }
  }
  static constexpr bool visits_every_feature = false;
  std::size_t rows() const { return row_starts_.size() - 1; }
  std::size_t features() const { return features_; }
  template <class Visit>
  void visit(std::size_t row, Visit&& visit) const {
    for (std::size_t k = row_starts_[row]; k < row_starts_[row + 1]; ++k) visit(matched_features_[k], 1.0);
  }

 private:
  std::vector<std::size_t> row_starts_;
  std::vector<std::size_t> matched_features_;
  std::size_t features_;
};

std::vector<double> targets_from(std::span<const std::uint8_t> labels, const char* what) {
  detail::require_non_empty(labels.size(), what);
  detail::require_binary(labels, what);
  return {labels.begin(), labels.end()};
}

void require_options(const LogisticOptions& options, const char* what) {
  if (!(options.l2 >= 0.0)) throw std::invalid_argument(std::string(what) + ": l2 must be >= 0");
}

}  // namespace

LogisticFit fit_logistic(std::span<const double> features, std::size_t feature_count,
                         std::span<const std::uint8_t> labels, const LogisticOptions& options) {
  constexpr const char* what = "fit_logistic";
  require_options(options, what);
  const std::vector<double> targets = targets_from(labels, what);
  detail::require_same_size(features.size(), labels.size() * feature_count, what);
  for (double value : features) {
    if (!std::isfinite(value)) throw std::invalid_argument("fit_logistic: features must be finite");
  }
  return detail::newton_fit(detail::DenseDesign(features, labels.size(), feature_count), targets, options);
}

LogisticFit fit_logistic_grouped(std::span<const double> features, std::size_t feature_count,
                                 std::span<const double> targets, std::span<const double> weights,
                                 const LogisticOptions& options) {
  constexpr const char* what = "fit_logistic_grouped";
  require_options(options, what);
  detail::require_non_empty(targets.size(), what);
  detail::require_same_size(weights.size(), targets.size(), what);
  detail::require_same_size(features.size(), targets.size() * feature_count, what);
  for (std::size_t i = 0; i < targets.size(); ++i)
    if (!(targets[i] >= 0.0 && targets[i] <= 1.0) || !(weights[i] > 0.0) || !std::isfinite(weights[i]))
      throw std::invalid_argument("fit_logistic_grouped: targets must be in [0, 1] and weights positive");
  for (double value : features)
    if (!std::isfinite(value)) throw std::invalid_argument("fit_logistic_grouped: features must be finite");
  return detail::newton_fit(detail::DenseDesign(features, targets.size(), feature_count), targets, options, weights);
}

LogisticFit fit_logistic_indicators(std::span<const std::vector<std::uint8_t>> columns,
                                    std::span<const std::uint8_t> labels, const LogisticOptions& options) {
  constexpr const char* what = "fit_logistic_indicators";
  require_options(options, what);
  const std::vector<double> targets = targets_from(labels, what);
  for (const std::vector<std::uint8_t>& column : columns) {
    detail::require_same_size(column.size(), labels.size(), what);
    detail::require_binary(column, what);
  }
  return detail::newton_fit(IndicatorDesign(columns, labels.size()), targets, options);
}

double logistic_probability(const LogisticFit& fit, std::span<const double> row) {
  detail::require_same_size(row.size(), fit.coefficients.size(), "logistic_probability");
  double eta = fit.intercept;
  for (std::size_t j = 0; j < row.size(); ++j) eta += fit.coefficients[j] * row[j];
  return detail::sigmoid(eta);
}

}  // namespace leadscore::calibrate
