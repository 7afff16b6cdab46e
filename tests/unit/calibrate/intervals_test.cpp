#include <doctest/doctest.h>

#include <stdexcept>

#include "calibrate/stats_intervals.hpp"

using namespace leadscore::calibrate;

// Wilson: centre = (p + z^2/2n) / (1 + z^2/n), half = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2), z = 1.959964.

TEST_CASE("wilson interval of 10 won out of 100") {
  // p = 0.1, z^2/n = 0.038415: centre = 0.119207 / 1.038415 = 0.114797,
  // half = 1.887486 * sqrt(0.0009 + 0.0000960) = 0.059568 -> [0.0552, 0.1744].
  const Interval i = wilson_interval(10, 100);
  CHECK(i.low == doctest::Approx(0.0552291370606751).epsilon(1e-12));
  CHECK(i.high == doctest::Approx(0.17436566150491345).epsilon(1e-12));
}

TEST_CASE("wilson interval at the edges: 0 of 10 and 10 of 10") {
  // 0/10: low is exactly 0, high = (z^2/n) / (1 + z^2/n) = 0.384146 / 1.384146 = 0.277533.
  const Interval none = wilson_interval(0, 10);
  CHECK(none.low == 0.0);
  CHECK(none.high == doctest::Approx(0.2775327998628892).epsilon(1e-12));
  // 10/10 mirrors it: [1 - 0.277533, 1], the upper bound exactly 1.
  const Interval all = wilson_interval(10, 10);
  CHECK(all.low == doctest::Approx(0.7224672001371107).epsilon(1e-12));
  CHECK(all.high == 1.0);
}

TEST_CASE("wilson interval with no trials knows nothing and rejects impossible counts") {
  const Interval empty = wilson_interval(0, 0);
  CHECK(empty.low == 0.0);
  CHECK(empty.high == 1.0);
  CHECK_THROWS_AS(wilson_interval(3, 2), std::invalid_argument);
  CHECK_THROWS_AS(wilson_interval(1, 2, 0.0), std::invalid_argument);
}

TEST_CASE("a base rate differs from an interval only when strictly outside it") {
  const Interval i{0.2, 0.4};
  CHECK(differs_from(i, 0.1));
  CHECK(differs_from(i, 0.41));
  CHECK_FALSE(differs_from(i, 0.2));
  CHECK_FALSE(differs_from(i, 0.3));
  CHECK_FALSE(differs_from(i, 0.4));
}
