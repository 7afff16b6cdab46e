#pragma once
// Numbers of the written scale re-expressed on the calibrated one: the threshold (or section limit)
// that selects the same share of leads, written as a round number. See docs/calibration.md, "One
// consistent model".
#include <cstddef>
#include <span>

namespace leadscore::calibrate {

// Which leads a threshold t selects: value >= t, value > t, value <= t, value < t.
enum class Side { AtLeast, Above, AtMost, Below };

// How many of `sorted` (ascending) lie on the selected side of t.
std::size_t count_selected(std::span<const double> sorted, Side side, double t);

// A threshold selecting as close as possible to `count` of `sorted` (ascending, not empty); of two
// equally close, the one selecting more. Among the thresholds that select exactly those leads, the
// roundest number (fewest significant digits, then nearest the middle). count 0: just beyond the
// extreme value; count n: at or beyond the other extreme.
double same_share_threshold(std::span<const double> sorted, Side side, std::size_t count);

// The roundest number x with low < x < high (low_closed: x may equal low; high_closed: x may equal
// high): multiples of 10^k, then of 5, 2 and 1 x 10^(k-1), ... Requires low <= high.
double round_number_between(double low, double high, bool low_closed, bool high_closed);

}  // namespace leadscore::calibrate
