#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "calibrate/metric_tables.hpp"

using namespace leadscore::calibrate;

TEST_CASE("lift by decile on 20 distinct scores") {
  // Scores 20..1, highest first, won: 1 1 | 1 0 | 0 1 | 0 0 | 1 0 | then all lost. 5 won, overall 0.25.
  // Decile 1: 2/2 -> lift 4, capture 2/5; decile 2: 1/2 -> lift 2, capture 3/5; decile 3: 4/5;
  // decile 4: 0 -> still 4/5; decile 5: 1/2 -> 5/5; deciles 6-10: none.
  const std::vector<std::uint8_t> won_by_rank{1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  std::vector<double> scores;
  std::vector<std::uint8_t> labels;
  // Rows are fed in a shuffled order (odd ranks, then even ranks): the table must not depend on it.
  for (std::size_t start : {1u, 0u}) {
    for (std::size_t rank = start; rank < 20; rank += 2) {
      scores.push_back(20.0 - static_cast<double>(rank));
      labels.push_back(won_by_rank[rank]);
    }
  }
  const auto table = lift_by_decile(scores, labels);
  REQUIRE(table.size() == 10);
  const std::vector<std::uint64_t> positives{2, 1, 1, 0, 1, 0, 0, 0, 0, 0};
  const std::vector<double> lift{4, 2, 2, 0, 2, 0, 0, 0, 0, 0};
  const std::vector<double> capture{0.4, 0.6, 0.8, 0.8, 1, 1, 1, 1, 1, 1};
  for (std::size_t d = 0; d < 10; ++d) {
    CAPTURE(d);
    CHECK(table[d].decile == static_cast<int>(d) + 1);
    CHECK(table[d].count == 2);
    CHECK(table[d].positives == positives[d]);
    CHECK(table[d].rate == doctest::Approx(static_cast<double>(positives[d]) / 2.0));
    CHECK(table[d].lift == doctest::Approx(lift[d]));
    CHECK(table[d].cumulative_capture == doctest::Approx(capture[d]));
    CHECK(table[d].max_score == 20.0 - 2.0 * static_cast<double>(d));
    CHECK(table[d].min_score == 19.0 - 2.0 * static_cast<double>(d));
  }
}

TEST_CASE("lift by decile keeps tied scores in the decile where they start") {
  // Sorted high to low: 9 | 8 8 8 | 7 7 | 6 5 4 ... -7 (14 distinct). 20 rows, so a run starting at
  // position s goes to decile floor(s * 10 / 20) + 1: 9 (s=0) and the 8s (s=1) -> decile 1 (4 rows);
  // the 7s (s=4) -> decile 3; decile 2 is swallowed; 6, 5 (s=6, 7) -> decile 4; ... -6, -7 -> decile 10.
  std::vector<double> scores{9, 8, 8, 8, 7, 7};
  for (int s = 6; s >= -7; --s) scores.push_back(s);
  std::vector<std::uint8_t> labels(20, 0);
  labels[1] = 1;  // an 8
  labels[5] = 1;  // a 7
  const auto table = lift_by_decile(scores, labels);
  REQUIRE(table.size() == 9);
  CHECK(table[0].decile == 1);
  CHECK(table[0].count == 4);
  CHECK(table[0].positives == 1);
  CHECK(table[0].lift == doctest::Approx(2.5));  // (1/4) / (2/20)
  CHECK(table[1].decile == 3);
  CHECK(table[1].count == 2);
  CHECK(table[1].min_score == 7.0);
  CHECK(table[1].cumulative_capture == doctest::Approx(1.0));
  CHECK(table[2].decile == 4);
  CHECK(table[2].max_score == 6.0);
  CHECK(table[2].min_score == 5.0);
  CHECK(table[8].decile == 10);
  CHECK(table[8].min_score == -7.0);
  std::uint64_t total = 0;
  for (const auto& row : table) total += row.count;
  CHECK(total == 20);
}

TEST_CASE("lift without any won lead is undefined, not zero") {
  const auto table = lift_by_decile(std::vector<double>{1, 2}, std::vector<std::uint8_t>{0, 0});
  REQUIRE(table.size() == 2);
  CHECK(table[0].rate == 0.0);
  CHECK(std::isnan(table[0].lift));
  CHECK(std::isnan(table[0].cumulative_capture));
}

TEST_CASE("reliability table in equal-count bins of predicted probability") {
  // 10 predictions in 5 bins of 2, lowest first; observed = won / 2 per bin.
  const std::vector<double> p{0.95, 0.05, 0.85, 0.15, 0.75, 0.25, 0.65, 0.35, 0.55, 0.45};
  const std::vector<std::uint8_t> y{1, 0, 1, 0, 0, 0, 1, 1, 1, 0};
  const auto table = reliability_table(p, y, 5);
  REQUIRE(table.size() == 5);
  const std::vector<double> mean_predicted{0.1, 0.3, 0.5, 0.7, 0.9};
  const std::vector<double> observed{0.0, 0.5, 0.5, 0.5, 1.0};
  for (std::size_t b = 0; b < 5; ++b) {
    CAPTURE(b);
    CHECK(table[b].count == 2);
    CHECK(table[b].mean_predicted == doctest::Approx(mean_predicted[b]));
    CHECK(table[b].observed_rate == doctest::Approx(observed[b]));
  }
  CHECK(table[0].min_predicted == 0.05);
  CHECK(table[4].max_predicted == 0.95);
  CHECK_THROWS_AS(reliability_table(p, y, 0), std::invalid_argument);
}
