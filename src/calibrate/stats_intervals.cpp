#include "calibrate/stats_intervals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace leadscore::calibrate {

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double z) {
  if (successes > trials) throw std::invalid_argument("wilson_interval: more successes than trials");
  if (!(z > 0.0)) throw std::invalid_argument("wilson_interval: z must be positive");
  if (trials == 0) return {0.0, 1.0};

  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denominator = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denominator;
  const double half_width = z / denominator * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));

  // At 0 or n successes the exact bound is 0 or 1; rounding must not move it.
  const double low = successes == 0 ? 0.0 : std::max(0.0, centre - half_width);
  const double high = successes == trials ? 1.0 : std::min(1.0, centre + half_width);
  return {low, high};
}

bool differs_from(const Interval& interval, double base_rate) {
  return base_rate < interval.low || base_rate > interval.high;
}

double two_proportion_z(std::uint64_t won_a, std::uint64_t n_a, std::uint64_t won_b, std::uint64_t n_b) {
  if (n_a == 0 || n_b == 0) return std::numeric_limits<double>::quiet_NaN();
  const double a = static_cast<double>(n_a), b = static_cast<double>(n_b);
  const double pooled = static_cast<double>(won_a + won_b) / (a + b);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / a + 1 / b));
  if (!(se > 0)) return std::numeric_limits<double>::quiet_NaN();
  return (static_cast<double>(won_b) / b - static_cast<double>(won_a) / a) / se;
}

}  // namespace leadscore::calibrate
