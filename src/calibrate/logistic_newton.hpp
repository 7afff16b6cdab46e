#pragma once
// Newton/IRLS core shared by the logistic fits. A Design yields each row's non-zero features:
//   std::size_t rows() const; std::size_t features() const;
//   template <class Visit> void visit(std::size_t row, Visit&& visit) const;  // visit(feature, value), ascending
//   static constexpr bool visits_every_feature;  // true: visit() also yields zeros, so entry a is feature a - 1
// Targets are in [0, 1] so that Platt's smoothed targets fit the same way as 0/1 labels. Rows may
// carry weights (a row standing for several identical leads: weight = their number, target = their
// share of won); no weights means 1 each.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "calibrate/cholesky.hpp"
#include "calibrate/logistic.hpp"

namespace leadscore::calibrate::detail {

inline double sigmoid(double eta) {
  if (eta >= 0.0) return 1.0 / (1.0 + std::exp(-eta));
  const double e = std::exp(eta);
  return e / (1.0 + e);
}

// ln(1 + exp(eta)) without overflow.
inline double softplus(double eta) {
  return eta > 0.0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta));
}

class DenseDesign {
 public:
  DenseDesign(std::span<const double> values, std::size_t rows, std::size_t features)
      : values_(values), rows_(rows), features_(features) {}
  static constexpr bool visits_every_feature = true;
  std::size_t rows() const { return rows_; }
  std::size_t features() const { return features_; }
  template <class Visit>
  void visit(std::size_t row, Visit&& visit) const {
    const double* values = values_.data() + row * features_;
    for (std::size_t j = 0; j < features_; ++j) visit(j, values[j]);
  }

 private:
  std::span<const double> values_;
  std::size_t rows_;
  std::size_t features_;
};

// Parameters: [intercept, coefficient_1 .. coefficient_k]; the row's entries start with (0, 1.0).
template <class Design>
class NewtonProblem {
 public:
  NewtonProblem(const Design& design, std::span<const double> targets, std::span<const double> weights, double l2)
      : design_(design), targets_(targets), weights_(weights), l2_(l2), size_(design.features() + 1) {
    indices_.reserve(size_);
    values_.reserve(size_);
  }

  std::size_t size() const { return size_; }

  // Negative penalised log-likelihood.
  double objective(const std::vector<double>& theta) {
    double loss = 0.0;
    for (std::size_t i = 0; i < design_.rows(); ++i) {
      const double eta = linear_predictor(i, theta);
      loss += weight_of(i) * (softplus(eta) - targets_[i] * eta);
    }
    return loss + penalty(theta);
  }

  double penalty(const std::vector<double>& theta) const {
    double sum = 0.0;
    for (std::size_t j = 1; j < size_; ++j) sum += theta[j] * theta[j];
    return 0.5 * l2_ * sum;
  }

  // Gradient of the penalised log-likelihood and the (positive) Hessian of its negative.
  void derivatives(const std::vector<double>& theta, std::vector<double>& gradient, std::vector<double>& hessian) {
    std::fill(gradient.begin(), gradient.end(), 0.0);
    std::fill(hessian.begin(), hessian.end(), 0.0);
    if constexpr (Design::visits_every_feature) {
      accumulate_dense(theta, gradient, hessian);
    } else {
      accumulate_sparse(theta, gradient, hessian);
    }
    for (std::size_t j = 1; j < size_; ++j) {
      gradient[j] -= l2_ * theta[j];
      hessian[j * size_ + j] += l2_;
    }
  }

 private:
  void accumulate_sparse(const std::vector<double>& theta, std::vector<double>& gradient, std::vector<double>& hessian) {
    for (std::size_t i = 0; i < design_.rows(); ++i) {
      const double eta = linear_predictor(i, theta);
      const double p = sigmoid(eta);
      const double weight = weight_of(i) * p * (1.0 - p);
      const double residual = weight_of(i) * (targets_[i] - p);
      const std::size_t entries = indices_.size();
      for (std::size_t a = 0; a < entries; ++a) {
        gradient[indices_[a]] += residual * values_[a];
        const double weighted = weight * values_[a];
        double* hessian_row = hessian.data() + indices_[a] * size_;
        for (std::size_t b = 0; b <= a; ++b) hessian_row[indices_[b]] += weighted * values_[b];
      }
    }
  }

  // Rows taken four at a time, so each pass over the Hessian's lower triangle adds four rows'
  // contributions: the Hessian, not the data, is what the memory traffic is about.
  void accumulate_dense(const std::vector<double>& theta, std::vector<double>& gradient, std::vector<double>& hessian) {
    constexpr std::size_t block = 4;
    std::vector<double> rows(block * size_, 0.0);
    double weights[block];
    for (std::size_t first = 0; first < design_.rows(); first += block) {
      for (std::size_t r = 0; r < block; ++r) {
        double* x = rows.data() + r * size_;
        if (first + r >= design_.rows()) {
          weights[r] = 0.0;
          std::fill(x, x + size_, 0.0);
          continue;
        }
        const double eta = linear_predictor(first + r, theta);
        std::copy(values_.begin(), values_.end(), x);
        const double p = sigmoid(eta);
        weights[r] = weight_of(first + r) * p * (1.0 - p);
        const double residual = weight_of(first + r) * (targets_[first + r] - p);
        for (std::size_t a = 0; a < size_; ++a) gradient[a] += residual * x[a];
      }
      const double* x0 = rows.data();
      const double* x1 = x0 + size_;
      const double* x2 = x1 + size_;
      const double* x3 = x2 + size_;
      for (std::size_t a = 0; a < size_; ++a) {
        const double c0 = weights[0] * x0[a], c1 = weights[1] * x1[a], c2 = weights[2] * x2[a], c3 = weights[3] * x3[a];
        double* hessian_row = hessian.data() + a * size_;
        for (std::size_t b = 0; b <= a; ++b) hessian_row[b] += c0 * x0[b] + c1 * x1[b] + c2 * x2[b] + c3 * x3[b];
      }
    }
  }

  // Also leaves the row's parameter indices and values in indices_/values_ for derivatives().
  double linear_predictor(std::size_t row, const std::vector<double>& theta) {
    indices_.assign(1, 0);
    values_.assign(1, 1.0);
    design_.visit(row, [this](std::size_t feature, double value) {
      indices_.push_back(feature + 1);
      values_.push_back(value);
    });
    double eta = 0.0;
    for (std::size_t a = 0; a < indices_.size(); ++a) eta += theta[indices_[a]] * values_[a];
    return eta;
  }

  double weight_of(std::size_t row) const { return weights_.empty() ? 1.0 : weights_[row]; }

  const Design& design_;
  std::span<const double> targets_;
  std::span<const double> weights_;
  double l2_;
  std::size_t size_;
  std::vector<std::size_t> indices_;
  std::vector<double> values_;
};

// Solves H d = g; when H is numerically singular (unpenalised, separable or collinear data) a
// growing ridge is added so that Newton degrades towards gradient ascent instead of failing.
inline std::vector<double> newton_direction(const std::vector<double>& hessian, std::size_t size,
                                            const std::vector<double>& gradient, bool& needed_ridge) {
  std::vector<double> direction = cholesky_solve(hessian, size, gradient);
  needed_ridge = direction.empty();
  double largest_diagonal = 1.0;
  for (std::size_t j = 0; j < size; ++j) largest_diagonal = std::max(largest_diagonal, hessian[j * size + j]);
  for (double ridge = 1e-10 * largest_diagonal; direction.empty() && ridge < 1e3 * largest_diagonal; ridge *= 10.0) {
    std::vector<double> damped = hessian;
    for (std::size_t j = 0; j < size; ++j) damped[j * size + j] += ridge;
    direction = cholesky_solve(std::move(damped), size, gradient);
  }
  return direction;
}

template <class Design>
LogisticFit newton_fit(const Design& design, std::span<const double> targets, const LogisticOptions& options,
                       std::span<const double> weights = {}) {
  NewtonProblem<Design> problem(design, targets, weights, options.l2);
  const std::size_t size = problem.size();

  std::vector<double> theta(size, 0.0);
  double target_mean = 0.0, total_weight = 0.0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    target_mean += w * targets[i];
    total_weight += w;
  }
  target_mean /= total_weight;
  const double clamped_mean = std::clamp(target_mean, 1e-6, 1.0 - 1e-6);
  theta[0] = std::log(clamped_mean / (1.0 - clamped_mean));

  LogisticFit fit;
  double objective = problem.objective(theta);
  std::vector<double> gradient(size);
  std::vector<double> hessian(size * size);
  std::vector<double> candidate(size);
  constexpr int max_halvings = 40;

  while (fit.iterations < options.max_iterations) {
    problem.derivatives(theta, gradient, hessian);
    for (std::size_t i = 0; i < size; ++i) {
      for (std::size_t j = i + 1; j < size; ++j) hessian[i * size + j] = hessian[j * size + i];
    }
    const std::vector<double> direction = newton_direction(hessian, size, gradient, fit.singular);
    if (direction.empty()) break;

    double newton_move = 0.0;
    for (double d : direction) newton_move = std::max(newton_move, std::abs(d));

    double scale = 1.0;
    double candidate_objective = objective;
    for (int halving = 0; halving <= max_halvings; ++halving, scale *= 0.5) {
      for (std::size_t j = 0; j < size; ++j) candidate[j] = theta[j] + scale * direction[j];
      candidate_objective = problem.objective(candidate);
      if (candidate_objective <= objective + 1e-12 * std::abs(objective)) break;
    }
    double largest_move = 0.0;
    for (std::size_t j = 0; j < size; ++j) largest_move = std::max(largest_move, std::abs(candidate[j] - theta[j]));
    ++fit.iterations;
    if (candidate_objective > objective + 1e-12 * std::abs(objective)) {
      // No step along the Newton direction improves the objective: numerically at the optimum.
      fit.converged = newton_move < std::sqrt(options.step_tolerance);
      break;
    }
    theta = candidate;
    objective = candidate_objective;
    if (largest_move < options.step_tolerance) {
      fit.converged = true;
      break;
    }
  }

  fit.intercept = theta[0];
  fit.coefficients.assign(theta.begin() + 1, theta.end());
  fit.log_likelihood = -(objective - problem.penalty(theta));
  return fit;
}

}  // namespace leadscore::calibrate::detail
