#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "calibrate/time_split.hpp"

using namespace leadscore::calibrate;

using Rows = std::vector<std::size_t>;

TEST_CASE("time split trains on the oldest rows and tests on the newest") {
  // 10 rows, 30% -> the 3 newest (timestamps 70, 80, 90 at rows 1, 4, 7) are the test set.
  const std::vector<std::int64_t> t{10, 90, 20, 30, 80, 40, 50, 70, 60, 0};
  const TimeSplit split = time_split(t);
  CHECK(split.test == Rows{1, 4, 7});
  CHECK(split.train == Rows{0, 2, 3, 5, 6, 8, 9});
  CHECK(split.test_start == 70);
}

TEST_CASE("time split keeps rows tied at the cut on the side nearer the wanted fraction") {
  SUBCASE("the tie run goes to train") {
    // Sorted: 1 2 3 4 5 | 6 6 6 | 8 9. Wanted 3 test rows; the cut falls in the run of 6s.
    // With the run in test: 5 rows (off by 2); without: 2 rows (off by 1) -> train.
    const std::vector<std::int64_t> t{6, 1, 9, 2, 6, 3, 8, 4, 6, 5};
    const TimeSplit split = time_split(t);
    CHECK(split.test == Rows{2, 6});
    CHECK(split.test_start == 8);
    CHECK(split.train.size() == 8);
  }
  SUBCASE("equally near: the tie run goes to test") {
    // Sorted: 1 2 3 4 5 6 | 7 7 | 8 9. With the run: 4 test rows (off by 1); without: 2 (off by 1).
    const std::vector<std::int64_t> t{1, 2, 3, 4, 5, 6, 7, 7, 8, 9};
    const TimeSplit split = time_split(t);
    CHECK(split.test == Rows{6, 7, 8, 9});
    CHECK(split.test_start == 7);
  }
  SUBCASE("all rows at one instant stay together") {
    const std::vector<std::int64_t> t(5, 42);
    const TimeSplit split = time_split(t, 0.5);
    CHECK(split.train.size() + split.test.size() == 5);
    CHECK((split.train.empty() || split.test.empty()));
  }
}

TEST_CASE("time split edge cases") {
  CHECK(time_split(std::vector<std::int64_t>{}).train.empty());
  // 2 rows * 0.2 = 0.4 rounds to no test row.
  const TimeSplit tiny = time_split(std::vector<std::int64_t>{5, 3}, 0.2);
  CHECK(tiny.train == Rows{0, 1});
  CHECK(tiny.test.empty());
  CHECK_THROWS_AS(time_split(std::vector<std::int64_t>{1}, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(time_split(std::vector<std::int64_t>{1}, 1.0), std::invalid_argument);
}
