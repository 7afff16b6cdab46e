#pragma once
// Dense Cholesky solve for the small symmetric positive-definite systems of Newton's method.
#include <cstddef>
#include <vector>

namespace leadscore::calibrate::detail {

// Solves A x = b for a symmetric positive-definite size x size matrix given row-major (only the
// lower triangle is read). Returns x, or an empty vector when A is not positive definite.
std::vector<double> cholesky_solve(std::vector<double> matrix, std::size_t size, std::vector<double> rhs);

}  // namespace leadscore::calibrate::detail
