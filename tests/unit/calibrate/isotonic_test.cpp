#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "calibrate/isotonic.hpp"

using namespace leadscore::calibrate;

TEST_CASE("PAV pools a violating pair") {
  // Labels by score 1..5: 0, 1, 0, 1, 1. The 1 at score 2 above the 0 at score 3 violates the
  // order: pool them -> 0.5. Then 1 at score 4 and 1 at score 5 are equal: one step of 1.
  const std::vector<double> scores{5, 1, 3, 2, 4};
  const std::vector<std::uint8_t> labels{1, 0, 0, 1, 1};
  const IsotonicModel model = isotonic_fit(scores, labels);
  CHECK(model.thresholds == std::vector<double>{1, 2, 4});
  CHECK(model.values == std::vector<double>{0.0, 0.5, 1.0});
  CHECK(model.counts == std::vector<std::uint64_t>{1, 2, 2});
}

TEST_CASE("PAV pools tied scores first, then violations, backtracking") {
  // Scores 1, 2, 2, 3, 3, 4 with labels 0 | 1 0 | 0 0 | 1: per score 0, 1/2, 0/2, 1.
  // 1/2 above 0/2 violates: pool to 1/4 = 0.25 -> steps 0 (score 1), 0.25 (scores 2-3), 1 (score 4).
  const std::vector<double> scores{1, 2, 2, 3, 3, 4};
  const std::vector<std::uint8_t> labels{0, 1, 0, 0, 0, 1};
  const IsotonicModel model = isotonic_fit(scores, labels);
  CHECK(model.thresholds == std::vector<double>{1, 2, 4});
  CHECK(model.values == std::vector<double>{0.0, 0.25, 1.0});
  CHECK(model.predict(2.5) == 0.25);
  CHECK(model.predict(3.99) == 0.25);
  CHECK(model.predict(4) == 1.0);
  CHECK(model.predict(-10) == 0.0);  // clamped below
  CHECK(model.predict(99) == 1.0);   // clamped above

  // Labels by score 1..6: 0, 1, 1, 0, 0, 1. Pooling 1, 1, 0 gives 2/3, still above the next 0:
  // pool again to 2/4 = 0.5 (the backtrack), then 1 stays.
  const std::vector<double> six{1, 2, 3, 4, 5, 6};
  const std::vector<std::uint8_t> cascading{0, 1, 1, 0, 0, 1};
  const IsotonicModel backtracked = isotonic_fit(six, cascading);
  CHECK(backtracked.thresholds == std::vector<double>{1, 2, 6});
  CHECK(backtracked.values == std::vector<double>{0.0, 0.5, 1.0});
  CHECK(backtracked.counts == std::vector<std::uint64_t>{1, 4, 1});
}

TEST_CASE("PAV on already monotone data keeps one step per distinct rate") {
  const std::vector<double> scores{10, 20, 30};
  const std::vector<std::uint8_t> labels{0, 0, 1};
  const IsotonicModel model = isotonic_fit(scores, labels);
  CHECK(model.thresholds == std::vector<double>{10, 30});
  CHECK(model.values == std::vector<double>{0.0, 1.0});
  CHECK_THROWS_AS(isotonic_fit(std::vector<double>{1}, std::vector<std::uint8_t>{}), std::invalid_argument);
  CHECK_THROWS_AS(IsotonicModel{}.predict(1.0), std::logic_error);
}
