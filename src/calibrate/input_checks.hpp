#pragma once
// Argument checks shared by the calibration statistics; every violation is a caller bug, so it throws.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace leadscore::calibrate::detail {

inline void require_same_size(std::size_t a, std::size_t b, const char* what) {
  if (a != b) {
    throw std::invalid_argument(std::string(what) + ": inputs differ in length (" + std::to_string(a) + " vs " +
                                std::to_string(b) + ")");
  }
}

inline void require_non_empty(std::size_t n, const char* what) {
  if (n == 0) throw std::invalid_argument(std::string(what) + ": no rows");
}

inline void require_binary(std::span<const std::uint8_t> values, const char* what) {
  for (std::uint8_t v : values) {
    if (v > 1) throw std::invalid_argument(std::string(what) + ": values must be 0 or 1");
  }
}

inline void require_probabilities(std::span<const double> p, const char* what) {
  for (double v : p) {
    if (!(v >= 0.0 && v <= 1.0)) throw std::invalid_argument(std::string(what) + ": probabilities must be in [0, 1]");
  }
}

inline std::uint64_t count_ones(std::span<const std::uint8_t> values) {
  std::uint64_t ones = 0;
  for (std::uint8_t v : values) ones += v;
  return ones;
}

}  // namespace leadscore::calibrate::detail
