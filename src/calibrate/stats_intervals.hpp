#pragma once
// Confidence intervals for a close rate (a binomial proportion).
#include <cstdint>

namespace leadscore::calibrate {

// Two-sided 95% normal quantile, the default z of every interval here.
inline constexpr double z_95 = 1.959963984540054;

struct Interval {
  double low = 0.0;
  double high = 1.0;
};

// Wilson score interval for successes/trials. With no trials nothing is known: [0, 1].
// Throws std::invalid_argument when successes > trials or z <= 0.
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double z = z_95);

// True when base_rate lies strictly outside the interval.
bool differs_from(const Interval& interval, double base_rate);

// Two-proportion z-test of the rates won_a/n_a and won_b/n_b (pooled standard error): z > 0 when b
// is the higher rate; NaN when a part is empty or the pooled rate is 0 or 1.
double two_proportion_z(std::uint64_t won_a, std::uint64_t n_a, std::uint64_t won_b, std::uint64_t n_b);

// Two-sided 99% normal quantile: a |z| beyond it happens by chance less than once in 100.
inline constexpr double z_99 = 2.5758293035489004;

}  // namespace leadscore::calibrate
