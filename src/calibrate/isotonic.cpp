#include "calibrate/isotonic.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "calibrate/input_checks.hpp"

namespace leadscore::calibrate {
namespace {

struct Block {
  double lowest_score;
  double positives;
  std::uint64_t count;
  double rate() const { return positives / static_cast<double>(count); }
};

std::vector<Block> blocks_of_equal_scores(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return scores[l] < scores[r]; });
  std::vector<Block> blocks;
  for (std::size_t i : order) {
    if (blocks.empty() || blocks.back().lowest_score != scores[i]) blocks.push_back({scores[i], 0.0, 0});
    blocks.back().positives += labels[i];
    blocks.back().count += 1;
  }
  return blocks;
}

}  // namespace

double IsotonicModel::predict(double score) const {
  if (values.empty()) throw std::logic_error("IsotonicModel::predict: empty model");
  const auto after = std::upper_bound(thresholds.begin(), thresholds.end(), score);
  const std::size_t step = after == thresholds.begin() ? 0 : static_cast<std::size_t>(after - thresholds.begin()) - 1;
  return values[step];
}

IsotonicModel isotonic_fit(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  constexpr const char* what = "isotonic_fit";
  detail::require_same_size(scores.size(), labels.size(), what);
  detail::require_non_empty(labels.size(), what);
  detail::require_binary(labels, what);
  for (double s : scores) {
    if (!std::isfinite(s)) throw std::invalid_argument("isotonic_fit: scores must be finite");
  }

  std::vector<Block> pooled;
  for (const Block& block : blocks_of_equal_scores(scores, labels)) {
    pooled.push_back(block);
    // Compare by cross-multiplication so that equal rates pool exactly.
    while (pooled.size() > 1) {
      const Block& upper = pooled[pooled.size() - 1];
      const Block& lower = pooled[pooled.size() - 2];
      if (lower.positives * static_cast<double>(upper.count) < upper.positives * static_cast<double>(lower.count)) {
        break;
      }
      Block merged{lower.lowest_score, lower.positives + upper.positives, lower.count + upper.count};
      pooled.pop_back();
      pooled.back() = merged;
    }
  }

  IsotonicModel model;
  for (const Block& block : pooled) {
    model.thresholds.push_back(block.lowest_score);
    model.values.push_back(block.rate());
    model.counts.push_back(block.count);
  }
  return model;
}

}  // namespace leadscore::calibrate
