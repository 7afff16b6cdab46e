#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "calibrate/logistic.hpp"
#include "calibrate/platt.hpp"

using namespace leadscore::calibrate;

namespace {

std::vector<std::uint8_t> repeat(std::uint8_t value, std::size_t times) { return std::vector<std::uint8_t>(times, value); }

std::vector<std::uint8_t> concat(std::vector<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

// Gradient of sum(y ln p + (1-y) ln(1-p)) - l2/2 |b|^2, intercept first.
std::vector<double> penalised_gradient(const LogisticFit& fit, const std::vector<double>& x, std::size_t k,
                                       const std::vector<std::uint8_t>& y, double l2) {
  std::vector<double> gradient(k + 1, 0.0);
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double p = logistic_probability(fit, std::span<const double>(x).subspan(i * k, k));
    gradient[0] += y[i] - p;
    for (std::size_t j = 0; j < k; ++j) gradient[j + 1] += (y[i] - p) * x[i * k + j];
  }
  for (std::size_t j = 0; j < k; ++j) gradient[j + 1] -= l2 * fit.coefficients[j];
  return gradient;
}

}  // namespace

TEST_CASE("intercept-only logistic regression gives the logit of the close rate") {
  // 3 won of 10: intercept = ln(0.3 / 0.7) = -0.8472979.
  const auto labels = concat({repeat(1, 3), repeat(0, 7)});
  const LogisticFit fit = fit_logistic({}, 0, labels);
  CHECK(fit.converged);
  CHECK(fit.coefficients.empty());
  CHECK(fit.intercept == doctest::Approx(std::log(3.0 / 7.0)).epsilon(1e-10));
  // log-likelihood = 3 ln 0.3 + 7 ln 0.7
  CHECK(fit.log_likelihood == doctest::Approx(3 * std::log(0.3) + 7 * std::log(0.7)).epsilon(1e-10));
}

TEST_CASE("one binary feature with a tiny penalty gives the 2x2 table's log odds ratio") {
  // x = 0: 2 won, 8 lost -> intercept = ln(2/8) = -1.3862944.
  // x = 1: 6 won, 4 lost -> coefficient = ln(6/4) - ln(2/8) = ln 6 = 1.7917595.
  const auto labels = concat({repeat(1, 2), repeat(0, 8), repeat(1, 6), repeat(0, 4)});
  const auto matches = concat({repeat(0, 10), repeat(1, 10)});
  const std::vector<double> x(matches.begin(), matches.end());
  LogisticOptions options;
  options.l2 = 1e-9;

  const LogisticFit dense = fit_logistic(x, 1, labels, options);
  CHECK(dense.converged);
  CHECK(dense.intercept == doctest::Approx(std::log(0.25)).epsilon(1e-7));
  CHECK(dense.coefficients[0] == doctest::Approx(std::log(6.0)).epsilon(1e-7));

  const std::vector<std::vector<std::uint8_t>> columns{matches};
  const LogisticFit sparse = fit_logistic_indicators(columns, labels, options);
  CHECK(sparse.converged);
  CHECK(sparse.intercept == doctest::Approx(dense.intercept).epsilon(1e-10));
  CHECK(sparse.coefficients[0] == doctest::Approx(dense.coefficients[0]).epsilon(1e-10));
}

TEST_CASE("penalised logistic regression stops where the penalised gradient vanishes") {
  // Two real features, classes overlapping but nearly separable; l2 = 1 keeps the fit finite.
  const std::vector<double> x{-2.0, 1.0, -1.5, 0.0, -1.0, 2.0, -0.5, -1.0, 0.0, 0.5, 0.2, -0.3,
                              0.5,  1.5, 1.0,  -2.0, 1.5, 0.0, 2.0,  1.0, 2.5, -1.0, 3.0, 0.5};
  const std::vector<std::uint8_t> y{0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1};
  const double l2 = 1.0;
  LogisticOptions options;
  options.l2 = l2;
  const LogisticFit fit = fit_logistic(x, 2, y, options);
  CHECK(fit.converged);
  CHECK_FALSE(fit.singular);
  CHECK(fit.iterations < 20);
  for (double g : penalised_gradient(fit, x, 2, y, l2)) CHECK(std::abs(g) < 1e-9);
  CHECK(fit.coefficients[0] > 0.0);  // won leads have larger first features

  // A heavier penalty pulls the coefficients towards 0, not the intercept's gradient off 0.
  options.l2 = 10.0;
  const LogisticFit heavier = fit_logistic(x, 2, y, options);
  CHECK(std::abs(heavier.coefficients[0]) < std::abs(fit.coefficients[0]));
  CHECK(std::abs(penalised_gradient(heavier, x, 2, y, 10.0)[0]) < 1e-9);
}

TEST_CASE("dense and indicator inputs fit the same model, and correlated rules share their credit") {
  // Deterministic pseudo-random leads matching 3 rules; rule 2 is a near-copy of rule 0.
  std::uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  const std::size_t n = 4000;
  std::vector<std::vector<std::uint8_t>> columns(3, std::vector<std::uint8_t>(n));
  std::vector<std::uint8_t> y(n);
  std::vector<double> x(n * 3);
  for (std::size_t i = 0; i < n; ++i) {
    columns[0][i] = next() < 0.3;
    columns[1][i] = next() < 0.5;
    columns[2][i] = next() < 0.9 ? columns[0][i] : static_cast<std::uint8_t>(next() < 0.3);
    const double eta = -2.0 + 1.5 * columns[0][i] + 0.5 * columns[1][i];
    y[i] = next() < 1.0 / (1.0 + std::exp(-eta));
    for (std::size_t j = 0; j < 3; ++j) x[i * 3 + j] = columns[j][i];
  }
  LogisticOptions options;
  options.l2 = 0.5;
  const LogisticFit dense = fit_logistic(x, 3, y, options);
  const LogisticFit sparse = fit_logistic_indicators(columns, y, options);
  REQUIRE(dense.converged);
  REQUIRE(sparse.converged);
  CHECK(sparse.intercept == doctest::Approx(dense.intercept).epsilon(1e-9));
  for (std::size_t j = 0; j < 3; ++j) CHECK(sparse.coefficients[j] == doctest::Approx(dense.coefficients[j]).epsilon(1e-9));
  for (double g : penalised_gradient(dense, x, 3, y, 0.5)) CHECK(std::abs(g) < 1e-7);
  // The copy gets far less than the rule that drives the outcome.
  CHECK(sparse.coefficients[0] > 1.0);
  CHECK(std::abs(sparse.coefficients[2]) < 0.5);
}

TEST_CASE("unpenalised logistic regression on separable data says the fit is singular") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6};
  const std::vector<std::uint8_t> y{0, 0, 0, 1, 1, 1};
  LogisticOptions unpenalised;
  unpenalised.l2 = 0.0;
  const LogisticFit separated = fit_logistic(x, 1, y, unpenalised);
  CHECK(separated.singular);
  CHECK(separated.coefficients[0] > 10.0);  // drifting towards infinity
  LogisticOptions penalised;
  penalised.l2 = 1.0;
  const LogisticFit finite = fit_logistic(x, 1, y, penalised);
  CHECK(finite.converged);
  CHECK_FALSE(finite.singular);
  for (double g : penalised_gradient(finite, x, 1, y, 1.0)) CHECK(std::abs(g) < 1e-9);
}

TEST_CASE("logistic regression rejects malformed input") {
  const std::vector<std::uint8_t> y{0, 1};
  CHECK_THROWS_AS(fit_logistic(std::vector<double>{1.0}, 1, y), std::invalid_argument);
  CHECK_THROWS_AS(fit_logistic({}, 0, std::vector<std::uint8_t>{0, 2}), std::invalid_argument);
  CHECK_THROWS_AS(fit_logistic({}, 0, std::vector<std::uint8_t>{}), std::invalid_argument);
  LogisticOptions negative;
  negative.l2 = -1.0;
  CHECK_THROWS_AS(fit_logistic({}, 0, y, negative), std::invalid_argument);
  const std::vector<std::vector<std::uint8_t>> short_column{{1}};
  CHECK_THROWS_AS(fit_logistic_indicators(short_column, y), std::invalid_argument);
}

TEST_CASE("platt scaling on two score values matches each group's log-odds") {
  // Score 10: 1 won, 3 lost; score 30: 3 won, 1 lost.
  const std::vector<double> scores{10, 10, 10, 10, 30, 30, 30, 30};
  const std::vector<std::uint8_t> labels{1, 0, 0, 0, 1, 1, 1, 0};

  SUBCASE("plain maximum likelihood") {
    // logit(1/4) = -ln 3 at 10, ln 3 at 30: a = 2 ln 3 / 20 = ln 3 / 10, b = -ln 3 - 10 a = -2 ln 3.
    const PlattModel model = platt_fit(scores, labels, PlattOptions{false});
    CHECK(model.converged);
    CHECK(model.a == doctest::Approx(std::log(3.0) / 10.0).epsilon(1e-9));
    CHECK(model.b == doctest::Approx(-2.0 * std::log(3.0)).epsilon(1e-9));
    CHECK(model.predict(10) == doctest::Approx(0.25).epsilon(1e-9));
    CHECK(model.predict(30) == doctest::Approx(0.75).epsilon(1e-9));
  }
  SUBCASE("Platt's smoothed targets") {
    // 4 won, 4 lost: targets 5/6 and 1/6. Mean target at 10: (5/6 + 3/6) / 4 = 1/3; at 30: 2/3.
    // logit(1/3) = -ln 2, logit(2/3) = ln 2: a = 2 ln 2 / 20 = ln 2 / 10, b = -ln 2 - 10 a = -2 ln 2.
    const PlattModel model = platt_fit(scores, labels);
    CHECK(model.converged);
    CHECK(model.a == doctest::Approx(std::log(2.0) / 10.0).epsilon(1e-9));
    CHECK(model.b == doctest::Approx(-2.0 * std::log(2.0)).epsilon(1e-9));
    CHECK(model.predict(20) == doctest::Approx(0.5).epsilon(1e-9));
  }
}

TEST_CASE("platt scaling stays finite on separated scores and flat on constant scores") {
  // Perfect separation: plain likelihood would push a to infinity; smoothed targets bound it.
  const std::vector<double> scores{1, 2, 3, 4, 5, 6};
  const std::vector<std::uint8_t> labels{0, 0, 0, 1, 1, 1};
  const PlattModel separated = platt_fit(scores, labels);
  CHECK(separated.converged);
  CHECK(std::isfinite(separated.a));
  CHECK(separated.a > 0.0);
  CHECK(separated.predict(6) < 1.0);
  CHECK(separated.predict(6) > separated.predict(1));
  CHECK_FALSE(platt_fit(scores, labels, PlattOptions{false}).converged);  // plain likelihood runs away

  // Constant scores: a = 0, b = logit(mean target) = logit((1 * 2/3 + 3 * 1/5) / 4) with 1 won, 3 lost.
  const std::vector<double> flat{7, 7, 7, 7};
  const std::vector<std::uint8_t> one_won{1, 0, 0, 0};
  const PlattModel constant = platt_fit(flat, one_won);
  const double mean_target = (2.0 / 3.0 + 3.0 / 5.0) / 4.0;
  CHECK(constant.a == 0.0);
  CHECK(constant.b == doctest::Approx(std::log(mean_target / (1.0 - mean_target))).epsilon(1e-9));
}

TEST_CASE("grouped rows fit as the leads they stand for") {
  // Leads with two features, many of them identical: fitted lead by lead, and as one row per distinct
  // lead weighted by how many there are, with their share of won as the target.
  std::vector<double> x;
  std::vector<std::uint8_t> y;
  const double patterns[4][2] = {{0, 0}, {1, 0}, {0, 3}, {1, 2}};
  const int counts[4] = {40, 25, 18, 9}, won[4] = {4, 10, 9, 7};
  std::vector<double> gx, share, weight;
  for (int p = 0; p < 4; ++p) {
    for (int i = 0; i < counts[p]; ++i) {
      x.insert(x.end(), patterns[p], patterns[p] + 2);
      y.push_back(i < won[p] ? 1 : 0);
    }
    gx.insert(gx.end(), patterns[p], patterns[p] + 2);
    share.push_back(static_cast<double>(won[p]) / counts[p]);
    weight.push_back(counts[p]);
  }
  LogisticOptions options;
  options.l2 = 0.5;
  const LogisticFit leads = fit_logistic(x, 2, y, options);
  const LogisticFit grouped = fit_logistic_grouped(gx, 2, share, weight, options);
  CHECK(grouped.converged);
  CHECK(grouped.intercept == doctest::Approx(leads.intercept).epsilon(1e-9));
  CHECK(grouped.coefficients[0] == doctest::Approx(leads.coefficients[0]).epsilon(1e-9));
  CHECK(grouped.coefficients[1] == doctest::Approx(leads.coefficients[1]).epsilon(1e-9));
  CHECK(grouped.log_likelihood == doctest::Approx(leads.log_likelihood).epsilon(1e-9));
  CHECK_THROWS_AS(fit_logistic_grouped(gx, 2, share, std::vector<double>{1, 1, 0, 1}, options), std::invalid_argument);
  CHECK_THROWS_AS(fit_logistic_grouped(gx, 2, std::vector<double>{0.5, 1.5, 0, 1}, weight, options), std::invalid_argument);
}
