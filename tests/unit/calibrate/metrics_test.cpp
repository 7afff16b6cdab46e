#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "calibrate/metrics.hpp"

using namespace leadscore::calibrate;

TEST_CASE("AUC counts tied pairs as one half") {
  // Won scores {2, 3}, lost {1, 2}: pairs (2,1) = 1, (2,2) = 1/2, (3,1) = 1, (3,2) = 1 -> 3.5 / 4.
  const std::vector<double> scores{1, 2, 2, 3};
  const std::vector<std::uint8_t> labels{0, 0, 1, 1};
  CHECK(auc(scores, labels) == doctest::Approx(0.875));
  // Order of rows does not matter; reversed scores give 1 - AUC.
  CHECK(auc(std::vector<double>{2, 3, 1, 2}, std::vector<std::uint8_t>{1, 1, 0, 0}) == doctest::Approx(0.875));
  CHECK(auc(std::vector<double>{-1, -2, -2, -3}, labels) == doctest::Approx(0.125));
  // All tied: 1/2. One class only: undefined.
  CHECK(auc(std::vector<double>{5, 5, 5}, std::vector<std::uint8_t>{0, 1, 0}) == doctest::Approx(0.5));
  CHECK(std::isnan(auc(std::vector<double>{1, 2}, std::vector<std::uint8_t>{1, 1})));
}

TEST_CASE("Brier score and log loss on four rows") {
  // p = 0.9, 0.2, 0.6, 0.4 for y = 1, 0, 0, 1.
  // Brier = (0.01 + 0.04 + 0.36 + 0.36) / 4 = 0.1925.
  // Log loss = -(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.4) / 4 = (0.105361 + 0.223144 + 0.916291 * 2) / 4 = 0.540271.
  const std::vector<double> p{0.9, 0.2, 0.6, 0.4};
  const std::vector<std::uint8_t> y{1, 0, 0, 1};
  CHECK(brier(p, y) == doctest::Approx(0.1925).epsilon(1e-12));
  CHECK(log_loss(p, y) == doctest::Approx(0.5402713826800865).epsilon(1e-12));
  // A confident miss is capped by eps: -ln(1e-15) = 34.538776.
  CHECK(log_loss(std::vector<double>{0.0}, std::vector<std::uint8_t>{1}) == doctest::Approx(34.538776394910684));
  CHECK(std::isnan(brier({}, {})));
  CHECK_THROWS_AS(brier(std::vector<double>{1.5}, std::vector<std::uint8_t>{1}), std::invalid_argument);
  CHECK_THROWS_AS(log_loss(p, std::vector<std::uint8_t>{1}), std::invalid_argument);
}

TEST_CASE("precision, recall and volume of an MQL selection") {
  // 10 leads, 4 won; 5 selected of which 3 won: precision 3/5, recall 3/4, volume 5/10.
  const std::vector<std::uint8_t> selected{1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
  const std::vector<std::uint8_t> won{1, 1, 0, 1, 0, 1, 0, 0, 0, 0};
  const SelectionQuality q = precision_recall(selected, won);
  CHECK(q.rows == 10);
  CHECK(q.positives == 4);
  CHECK(q.selected == 5);
  CHECK(q.true_positives == 3);
  CHECK(q.precision == doctest::Approx(0.6));
  CHECK(q.recall == doctest::Approx(0.75));
  CHECK(q.volume_share == doctest::Approx(0.5));
  const SelectionQuality none = precision_recall(std::vector<std::uint8_t>{0, 0}, std::vector<std::uint8_t>{0, 0});
  CHECK(std::isnan(none.precision));
  CHECK(std::isnan(none.recall));
  CHECK(none.volume_share == 0.0);
}
