#include "calibrate/cholesky.hpp"

#include <cmath>

namespace leadscore::calibrate::detail {

std::vector<double> cholesky_solve(std::vector<double> matrix, std::size_t size, std::vector<double> rhs) {
  // Factor A = L L^T in place (L in the lower triangle).
  for (std::size_t j = 0; j < size; ++j) {
    double pivot = matrix[j * size + j];
    for (std::size_t k = 0; k < j; ++k) pivot -= matrix[j * size + k] * matrix[j * size + k];
    if (!(pivot > 0.0) || !std::isfinite(pivot)) return {};
    const double diagonal = std::sqrt(pivot);
    matrix[j * size + j] = diagonal;
    for (std::size_t i = j + 1; i < size; ++i) {
      double value = matrix[i * size + j];
      for (std::size_t k = 0; k < j; ++k) value -= matrix[i * size + k] * matrix[j * size + k];
      matrix[i * size + j] = value / diagonal;
    }
  }
  // Forward substitution L y = b, then back substitution L^T x = y.
  for (std::size_t i = 0; i < size; ++i) {
    double value = rhs[i];
    for (std::size_t k = 0; k < i; ++k) value -= matrix[i * size + k] * rhs[k];
    rhs[i] = value / matrix[i * size + i];
  }
  for (std::size_t i = size; i-- > 0;) {
    double value = rhs[i];
    for (std::size_t k = i + 1; k < size; ++k) value -= matrix[k * size + i] * rhs[k];
    rhs[i] = value / matrix[i * size + i];
  }
  return rhs;
}

}  // namespace leadscore::calibrate::detail
