#include "calibrate/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "calibrate/input_checks.hpp"

namespace leadscore::calibrate {
namespace {

constexpr double undefined = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) { return denominator > 0.0 ? numerator / denominator : undefined; }

void require_scored_labels(std::span<const double> scores, std::span<const std::uint8_t> labels, const char* what) {
  detail::require_same_size(scores.size(), labels.size(), what);
  detail::require_binary(labels, what);
  for (double s : scores) {
    if (!std::isfinite(s)) throw std::invalid_argument(std::string(what) + ": scores must be finite");
  }
}

void require_predicted_labels(std::span<const double> p, std::span<const std::uint8_t> labels, const char* what) {
  detail::require_same_size(p.size(), labels.size(), what);
  detail::require_binary(labels, what);
  detail::require_probabilities(p, what);
}

}  // namespace

double auc(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  require_scored_labels(scores, labels, "auc");
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return scores[l] < scores[r]; });

  double positive_rank_sum = 0.0;
  double positives = 0.0;
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start;
    double group_positives = 0.0;
    while (end < order.size() && scores[order[end]] == scores[order[start]]) group_positives += labels[order[end++]];
    // 1-based ranks start+1 .. end share their mean.
    const double mid_rank = (static_cast<double>(start) + 1.0 + static_cast<double>(end)) / 2.0;
    positive_rank_sum += group_positives * mid_rank;
    positives += group_positives;
    start = end;
  }
  const double negatives = static_cast<double>(scores.size()) - positives;
  const double u = positive_rank_sum - positives * (positives + 1.0) / 2.0;
  return ratio(u, positives * negatives);
}

double brier(std::span<const double> probabilities, std::span<const std::uint8_t> labels) {
  require_predicted_labels(probabilities, labels, "brier");
  double sum = 0.0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double error = probabilities[i] - labels[i];
    sum += error * error;
  }
  return ratio(sum, static_cast<double>(labels.size()));
}

double log_loss(std::span<const double> probabilities, std::span<const std::uint8_t> labels, double eps) {
  require_predicted_labels(probabilities, labels, "log_loss");
  if (!(eps > 0.0 && eps < 0.5)) throw std::invalid_argument("log_loss: eps must be in (0, 0.5)");
  double sum = 0.0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double p = std::clamp(probabilities[i], eps, 1.0 - eps);
    sum -= labels[i] != 0 ? std::log(p) : std::log1p(-p);
  }
  return ratio(sum, static_cast<double>(labels.size()));
}

SelectionQuality precision_recall(std::span<const std::uint8_t> selected, std::span<const std::uint8_t> labels) {
  constexpr const char* what = "precision_recall";
  detail::require_same_size(selected.size(), labels.size(), what);
  detail::require_binary(selected, what);
  detail::require_binary(labels, what);
  SelectionQuality quality;
  quality.rows = labels.size();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    quality.positives += labels[i];
    quality.selected += selected[i];
    quality.true_positives += static_cast<std::uint64_t>(selected[i] & labels[i]);
  }
  const auto as_double = [](std::uint64_t v) { return static_cast<double>(v); };
  quality.precision = ratio(as_double(quality.true_positives), as_double(quality.selected));
  quality.recall = ratio(as_double(quality.true_positives), as_double(quality.positives));
  quality.volume_share = ratio(as_double(quality.selected), as_double(quality.rows));
  return quality;
}

}  // namespace leadscore::calibrate
