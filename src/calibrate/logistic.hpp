#pragma once
// L2-penalised logistic regression fitted by Newton's method (IRLS).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace leadscore::calibrate {

struct LogisticOptions {
  double l2 = 1.0;            // lambda of the penalty lambda/2 * sum(coefficient^2); the intercept is not penalised
  int max_iterations = 100;   // Newton steps
  double step_tolerance = 1e-9;  // converged when no parameter moves more than this in a step
};

struct LogisticFit {
  double intercept = 0.0;
  std::vector<double> coefficients;  // one per feature, in input order
  double log_likelihood = 0.0;       // unpenalised, at the solution
  int iterations = 0;
  bool converged = false;
  // The last Newton system was singular and was solved with an added ridge: with l2 = 0 the won
  // and lost leads are separable (coefficients drift to +-infinity) or features duplicate each
  // other (coefficients not unique). Either way the coefficients are not meaningful; use l2 > 0.
  bool singular = false;
};

// Maximises sum(y ln p + (1 - y) ln(1 - p)) - l2/2 * sum(coefficient^2), p = 1 / (1 + exp(-(intercept + x.b))).
// Each Newton step solves (X^T W X + l2 I') d = X^T (y - p) - l2 b' (I', b': intercept excluded) by
// Cholesky, halving the step while it does not improve the objective.
// features: row-major, labels.size() rows by feature_count columns. feature_count may be 0
// (intercept only). Throws std::invalid_argument on mismatched sizes, labels other than 0/1,
// no rows, non-finite features, or l2 < 0.
LogisticFit fit_logistic(std::span<const double> features, std::size_t feature_count,
                         std::span<const std::uint8_t> labels, const LogisticOptions& options = {});

// The same fit over rows that each stand for `weights[i]` identical leads of which a share
// `targets[i]` (0 to 1) was won: equal to fit_logistic over the leads themselves, in time that grows
// with the distinct rows. Throws like fit_logistic, and on weights that are not positive.
LogisticFit fit_logistic_grouped(std::span<const double> features, std::size_t feature_count,
                                 std::span<const double> targets, std::span<const double> weights,
                                 const LogisticOptions& options = {});

// Same model with 0/1 indicator features (one column per rule, each labels.size() long), stored
// sparsely: the cost per step grows with the square of the rules a lead matches, not of all rules.
LogisticFit fit_logistic_indicators(std::span<const std::vector<std::uint8_t>> columns,
                                    std::span<const std::uint8_t> labels, const LogisticOptions& options = {});

// The model's probability for one row of features (row.size() == fit.coefficients.size()).
double logistic_probability(const LogisticFit& fit, std::span<const double> row);

}  // namespace leadscore::calibrate
