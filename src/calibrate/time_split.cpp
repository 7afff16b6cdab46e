#include "calibrate/time_split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace leadscore::calibrate {

TimeSplit time_split(std::span<const std::int64_t> timestamps, double test_fraction) {
  if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
    throw std::invalid_argument("time_split: test fraction must be in (0, 1)");
  }
  TimeSplit split;
  const std::size_t n = timestamps.size();
  if (n == 0) return split;

  std::vector<std::int64_t> sorted(timestamps.begin(), timestamps.end());
  std::sort(sorted.begin(), sorted.end());
  const double wanted_test = static_cast<double>(n) * test_fraction;
  const auto wanted_test_rows = static_cast<std::size_t>(std::llround(wanted_test));
  if (wanted_test_rows == 0) {
    split.train.resize(n);
    std::iota(split.train.begin(), split.train.end(), std::size_t{0});
    return split;
  }

  // The tie run holding the first test row, [run_begin, run_end) in sorted order.
  const std::int64_t cut_value = sorted[n - std::min(wanted_test_rows, n)];
  const auto run_begin = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), cut_value) - sorted.begin());
  const auto run_end = static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), cut_value) - sorted.begin());
  const double test_with_run = static_cast<double>(n - run_begin);
  const double test_without_run = static_cast<double>(n - run_end);
  const bool run_in_test = std::abs(test_with_run - wanted_test) <= std::abs(test_without_run - wanted_test);
  const std::size_t first_test_position = run_in_test ? run_begin : run_end;

  const bool has_test = first_test_position < n;
  if (has_test) split.test_start = sorted[first_test_position];
  for (std::size_t i = 0; i < n; ++i) {
    if (has_test && timestamps[i] >= split.test_start) {
      split.test.push_back(i);
    } else {
      split.train.push_back(i);
    }
  }
  return split;
}

}  // namespace leadscore::calibrate
