#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "calibrate/beta_prior.hpp"

using namespace leadscore::calibrate;

TEST_CASE("beta prior by moments removes the binomial noise from the spread of rule rates") {
  // Rates 0.1, 0.3, 0.1, 0.4 on 100, 100, 200, 100 leads: N = 500, m = 100/500 = 0.2.
  // S = 100*0.01 + 100*0.01 + 200*0.01 + 100*0.04 = 8;  (k-1) m(1-m) = 3 * 0.16 = 0.48.
  // sum n^2 / N = 70000 / 500 = 140;  tau2 = (8 - 0.48) / (500 - 140 - 3) = 7.52 / 357 = 0.0210644.
  // alpha + beta = 0.16 / tau2 - 1 = 57.12 / 7.52 - 1 = 6.5957447;  alpha = 0.2 * that, beta = 0.8 * that.
  const std::vector<RuleOutcomes> rules{{10, 100}, {30, 100}, {20, 200}, {40, 100}};
  const BetaPrior prior = fit_beta_prior(rules, 0.25);
  CHECK(prior.fitted_by_moments);
  CHECK(prior.strength() == doctest::Approx(57.12 / 7.52 - 1.0).epsilon(1e-12));
  CHECK(prior.alpha == doctest::Approx(1.3191489361702133).epsilon(1e-12));
  CHECK(prior.beta == doctest::Approx(5.276595744680853).epsilon(1e-12));
  CHECK(prior.mean() == doctest::Approx(0.2).epsilon(1e-12));
}

TEST_CASE("beta prior falls back to the base rate with a fixed pseudo-count") {
  SUBCASE("fewer than three rules with matches") {
    const std::vector<RuleOutcomes> rules{{10, 100}, {40, 100}, {0, 0}};
    const BetaPrior prior = fit_beta_prior(rules, 0.25);
    CHECK_FALSE(prior.fitted_by_moments);
    CHECK(prior.alpha == doctest::Approx(5.0));  // 0.25 * 20
    CHECK(prior.beta == doctest::Approx(15.0));  // 0.75 * 20
  }
  SUBCASE("rates that differ no more than noise explains") {
    // All rates 0.2: S = 0 < (k-1) m(1-m), so tau2 < 0.
    const std::vector<RuleOutcomes> rules{{20, 100}, {10, 50}, {40, 200}};
    const BetaPrior prior = fit_beta_prior(rules, 0.1, 50.0);
    CHECK_FALSE(prior.fitted_by_moments);
    CHECK(prior.alpha == doctest::Approx(5.0));  // 0.1 * 50
    CHECK(prior.beta == doctest::Approx(45.0));
  }
  SUBCASE("no rule ever won") {
    const std::vector<RuleOutcomes> rules{{0, 100}, {0, 50}, {0, 200}};
    CHECK_FALSE(fit_beta_prior(rules, 0.1).fitted_by_moments);
  }
  CHECK_THROWS_AS(fit_beta_prior({}, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(fit_beta_prior(std::vector<RuleOutcomes>{{3, 2}}, 0.5), std::invalid_argument);
}

TEST_CASE("shrunk rate, log-lift and log-odds ratio with a known prior") {
  // Beta(2, 18), mean 0.1, worth 20 leads; 30 won of 100; base rate 0.1.
  // shrunk = (30 + 2) / (100 + 20) = 0.266667; ln(0.266667 / 0.1) = ln 2.666667 = 0.980829.
  // logit(0.266667) - logit(0.1) = ln(32/88) - ln(1/9) = ln(288/88) = 1.185624.
  const BetaPrior prior{2.0, 18.0, true};
  CHECK(shrunk_rate(30, 100, prior) == doctest::Approx(32.0 / 120.0).epsilon(1e-14));
  CHECK(shrunk_log_lift(30, 100, 0.1, prior) == doctest::Approx(0.9808292530117262).epsilon(1e-12));
  CHECK(shrunk_log_odds_ratio(30, 100, 0.1, prior) == doctest::Approx(std::log(288.0 / 88.0)).epsilon(1e-12));
  // No evidence: the prior mean; at the base rate the lift is exactly 0.
  CHECK(shrunk_rate(0, 0, prior) == doctest::Approx(0.1));
  CHECK(shrunk_log_lift(0, 0, 0.1, prior) == doctest::Approx(0.0));
  // A small sample moves less than a large one with the same raw rate.
  CHECK(shrunk_log_lift(3, 10, 0.1, prior) < shrunk_log_lift(300, 1000, 0.1, prior));
  CHECK_THROWS_AS(shrunk_log_lift(1, 2, 1.0, prior), std::invalid_argument);
}
