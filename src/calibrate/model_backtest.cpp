#include "calibrate/model_backtest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "calibrate/metric_tables.hpp"
#include "calibrate/metrics.hpp"

namespace leadscore::calibrate {

std::vector<HistogramBin> histogram(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels,
                                    std::size_t bins) {
  std::vector<HistogramBin> out;
  if (scores.empty()) return out;
  auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
  double low = *lo, high = *hi;
  if (high == low) high = low + 1;
  const double width = (high - low) / static_cast<double>(bins);
  for (std::size_t b = 0; b < bins; ++b)
    out.push_back(HistogramBin{low + width * static_cast<double>(b), low + width * static_cast<double>(b + 1), 0, 0});
  for (std::size_t i = 0; i < scores.size(); ++i) {
    auto b = static_cast<std::size_t>((scores[i] - low) / width);
    b = std::min(b, bins - 1);
    (labels[i] ? out[b].won : out[b].lost) += 1;
  }
  return out;
}

ModelBacktest backtest_model(const std::vector<double>& scores, const std::vector<double>& p,
                       const std::vector<std::uint8_t>& labels, const std::vector<std::uint8_t>* mql,
                       std::uint64_t volume) {
  ModelBacktest b;
  b.auc = auc(scores, labels);
  b.brier = brier(p, labels);
  b.log_loss = log_loss(p, labels);
  if (mql) {
    b.has_mql = true;
    b.mql = precision_recall(*mql, labels);
  }
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t c) { return scores[a] > scores[c]; });
  std::vector<std::uint8_t> top(scores.size(), 0);
  for (std::size_t i = 0; i < std::min<std::size_t>(volume, order.size()); ++i) top[order[i]] = 1;
  b.top_volume = precision_recall(top, labels);
  b.deciles = lift_by_decile(scores, labels);
  b.reliability = reliability_table(p, labels, 10);
  b.histogram = histogram(scores, labels);
  return b;
}

double max_reliability_gap(const ModelBacktest& b) {
  if (b.reliability.empty()) return std::numeric_limits<double>::quiet_NaN();
  double gap = 0;
  for (const auto& bin : b.reliability) gap = std::max(gap, std::abs(bin.mean_predicted - bin.observed_rate));
  return gap;
}

}  // namespace leadscore::calibrate
