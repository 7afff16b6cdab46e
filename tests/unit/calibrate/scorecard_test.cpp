#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "calibrate/scorecard.hpp"

using namespace leadscore::calibrate;

TEST_CASE("scorecard factor and points from log-odds") {
  // factor = pdo / ln 2 = 20 / 0.693147 = 28.853901 points per unit of log-odds.
  const Scorecard card;
  CHECK(card.factor() == doctest::Approx(28.85390081777927).epsilon(1e-12));
  // Doubling the odds (delta = ln 2) is worth exactly pdo points; halving them, -pdo.
  CHECK(card.points_from_log_odds_delta(std::log(2.0)) == doctest::Approx(20.0));
  CHECK(card.points_from_log_odds_delta(-std::log(2.0)) == doctest::Approx(-20.0));
  CHECK(card.log_odds_delta_from_points(40.0) == doctest::Approx(2.0 * std::log(2.0)));
}

TEST_CASE("scorecard anchored at base points and base odds") {
  // Classic credit scorecard: 600 points at odds 50:1, 20 points to double -> 620 at 100:1.
  const Scorecard classic{20.0, 600.0, 50.0};
  CHECK(classic.score_at_log_odds(std::log(100.0)) == doctest::Approx(620.0));
  CHECK(classic.log_odds_at_score(580.0) == doctest::Approx(std::log(25.0)));
  // Base close rate 10%: odds 1/9 at 0 points; 20 points -> odds 2/9, close rate 2/11.
  const Scorecard leads = Scorecard::at_base_rate(0.1);
  CHECK(leads.base_odds == doctest::Approx(1.0 / 9.0));
  CHECK(std::exp(leads.log_odds_at_score(20.0)) == doctest::Approx(2.0 / 9.0));
  CHECK_THROWS_AS(Scorecard::at_base_rate(1.0), std::invalid_argument);
}

TEST_CASE("points round half away from zero to one decimal on the shortest decimal text") {
  CHECK(round_points(2.25) == 2.3);
  CHECK(round_points(-2.25) == -2.3);
  CHECK(round_points(1.45) == 1.5);    // the double is 1.4499999999999999556 but reads as 1.45
  CHECK(round_points(12.35) == 12.4);  // likewise 12.3499999999999996447
  CHECK(round_points(17.3416) == 17.3);
  CHECK(round_points(9.96) == 10.0);
  CHECK(round_points(15.0) == 15.0);
  CHECK(round_points(-0.04) == 0.0);
  CHECK_FALSE(std::signbit(round_points(-0.04)));  // never -0
  CHECK(round_points(-31.05) == -31.1);
}
