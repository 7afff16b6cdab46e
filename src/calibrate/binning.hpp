#pragma once
// Bins for rule discovery: a numeric column cut into ranges, or text values grouped, so that each
// bin's close rate differs from its neighbours' (ChiMerge: adjacent bins are merged while the
// smallest chi-square between neighbours is below a threshold, a bin is too small, or there are
// too many bins). Statistics only: the caller turns bins into rules.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace leadscore::calibrate {

struct BinningOptions {
  std::size_t candidates = 20;     // quantile cut candidates for a numeric column
  std::uint64_t min_support = 30;  // leads a bin must hold
  std::size_t max_bins = 6;
  double min_chi2 = 3.841;  // neighbours less different than this (1 df, p = 0.05) are merged
};

// A range [low, high) of a numeric column: -inf / +inf at the ends.
struct NumericBin {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  std::uint64_t count = 0, won = 0;
};

// values and labels (1 = won) of the leads that have a value. Bins in ascending order covering the
// whole line; one bin when nothing separates the close rates. Throws std::invalid_argument on
// spans of different lengths or non-finite values.
std::vector<NumericBin> numeric_bins(std::span<const double> values, std::span<const std::uint8_t> labels,
                                     const BinningOptions& options = {});

struct CategoryGroup {
  std::vector<std::string> values;  // by descending count
  std::uint64_t count = 0, won = 0;
  bool rare = false;  // the pooled values each seen on fewer than min_support leads
};

// keys[i]: the (normalised) text value of lead i, labels[i] its outcome. Values seen at least
// min_support times are grouped by close rate (groups in ascending close rate); the rarer ones are
// pooled in one last group marked `rare` (absent when there are none).
std::vector<CategoryGroup> category_groups(std::span<const std::string> keys, std::span<const std::uint8_t> labels,
                                           const BinningOptions& options = {});

// Chi-square statistic of the 2x2 table (won/lost x group a/b); 0 when a row or column is empty.
double chi_square(std::uint64_t count_a, std::uint64_t won_a, std::uint64_t count_b, std::uint64_t won_b);

}  // namespace leadscore::calibrate
