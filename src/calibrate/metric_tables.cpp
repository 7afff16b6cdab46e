#include "calibrate/metric_tables.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "calibrate/input_checks.hpp"

namespace leadscore::calibrate {
namespace {

constexpr double undefined = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) { return denominator > 0.0 ? numerator / denominator : undefined; }

struct Group {
  std::size_t number = 0;  // 0-based, in sorted order
  std::uint64_t count = 0;
  std::uint64_t positives = 0;
  double sum = 0.0;
  double min = 0.0;
  double max = 0.0;
};

// Rows sorted by value (descending when highest_first), cut into equal-count groups keeping ties together.
std::vector<Group> rank_groups(std::span<const double> values, std::span<const std::uint8_t> labels,
                               std::size_t groups, bool highest_first) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) {
    return highest_first ? values[l] > values[r] : values[l] < values[r];
  });
  std::vector<Group> result;
  const std::size_t n = values.size();
  for (std::size_t start = 0; start < n;) {
    const std::size_t number = start * groups / n;
    if (result.empty() || result.back().number != number) {
      result.push_back({number, 0, 0, 0.0, values[order[start]], values[order[start]]});
    }
    Group& group = result.back();
    const double tied_value = values[order[start]];
    for (; start < n && values[order[start]] == tied_value; ++start) {
      group.count += 1;
      group.positives += labels[order[start]];
      group.sum += tied_value;
    }
    group.min = std::min(group.min, tied_value);
    group.max = std::max(group.max, tied_value);
  }
  return result;
}

}  // namespace

std::vector<DecileRow> lift_by_decile(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  constexpr const char* what = "lift_by_decile";
  detail::require_same_size(scores.size(), labels.size(), what);
  detail::require_binary(labels, what);
  for (double s : scores) {
    if (!std::isfinite(s)) throw std::invalid_argument("lift_by_decile: scores must be finite");
  }
  const double total_positives = static_cast<double>(detail::count_ones(labels));
  const double overall_rate = ratio(total_positives, static_cast<double>(labels.size()));

  std::vector<DecileRow> rows;
  double captured = 0.0;
  for (const Group& group : rank_groups(scores, labels, 10, true)) {
    DecileRow row;
    row.decile = static_cast<int>(group.number) + 1;
    row.count = group.count;
    row.positives = group.positives;
    row.rate = ratio(static_cast<double>(group.positives), static_cast<double>(group.count));
    row.lift = ratio(row.rate, overall_rate);
    captured += static_cast<double>(group.positives);
    row.cumulative_capture = ratio(captured, total_positives);
    row.min_score = group.min;
    row.max_score = group.max;
    rows.push_back(row);
  }
  return rows;
}

std::vector<ReliabilityBin> reliability_table(std::span<const double> probabilities,
                                              std::span<const std::uint8_t> labels, std::size_t bins) {
  constexpr const char* what = "reliability_table";
  detail::require_same_size(probabilities.size(), labels.size(), what);
  detail::require_binary(labels, what);
  detail::require_probabilities(probabilities, what);
  if (bins == 0) throw std::invalid_argument("reliability_table: bins must be positive");

  std::vector<ReliabilityBin> table;
  for (const Group& group : rank_groups(probabilities, labels, bins, false)) {
    const double count = static_cast<double>(group.count);
    table.push_back({group.count, group.sum / count, static_cast<double>(group.positives) / count, group.min,
                     group.max});
  }
  return table;
}

}  // namespace leadscore::calibrate
