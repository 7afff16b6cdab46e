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

}  // namespace leadscore::calibrate
