#include "calibrate/same_share.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace leadscore::calibrate {

std::size_t count_selected(std::span<const double> sorted, Side side, double t) {
  const auto n = sorted.size();
  switch (side) {
    case Side::AtLeast: return n - static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), t) - sorted.begin());
    case Side::Above: return n - static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), t) - sorted.begin());
    case Side::AtMost: return static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), t) - sorted.begin());
    case Side::Below: return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), t) - sorted.begin());
  }
  return 0;
}

double round_number_between(double low, double high, bool low_closed, bool high_closed) {
  if (!(low <= high)) throw std::invalid_argument("round_number_between: low > high");
  auto inside = [&](double x) {
    return (x > low || (low_closed && x == low)) && (x < high || (high_closed && x == high));
  };
  if (low == high) return low;
  const double width = high - low;
  const double middle = low + width / 2;
  // From the largest power of ten not wider than the whole range downwards: the first step with a
  // multiple inside the interval gives the roundest number; the multiple nearest the middle.
  const double scale = std::max(std::fabs(low), std::fabs(high));
  int top = static_cast<int>(std::floor(std::log10(std::max(scale, width)))) + 1;
  for (int exponent = top; exponent > top - 16; --exponent) {
    for (double mantissa : {10.0, 5.0, 2.0}) {
      const double step = mantissa * std::pow(10.0, exponent - 1);
      // Multiples of the step as the decimal text a reader sees, read back (52.2, not 522 x 0.1).
      const int decimals = std::max(0, 2 - exponent);
      auto snapped = [&](double k) {
        char text[64];
        std::snprintf(text, sizeof text, "%.*f", decimals, k * step);
        return std::strtod(text, nullptr);
      };
      const double first = std::ceil(low / step), last = std::floor(high / step);
      double best = std::nan(""), best_distance = 0;
      for (double k : {first, first + 1, last - 1, last, std::round(middle / step)}) {
        const double x = snapped(k);
        if (!inside(x)) continue;
        const double distance = std::fabs(x - middle);
        if (std::isnan(best) || distance < best_distance) best = x, best_distance = distance;
      }
      if (!std::isnan(best)) return best == 0 ? 0.0 : best;  // never -0
    }
  }
  return middle;
}

double same_share_threshold(std::span<const double> sorted, Side side, std::size_t count) {
  const std::size_t n = sorted.size();
  if (n == 0) throw std::invalid_argument("same_share_threshold: no values");
  count = std::min(count, n);
  // Distinct values, ascending; choosing a threshold is choosing a cut between two of them.
  std::vector<double> values(sorted.begin(), sorted.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  const double margin = std::max(1.0, (values.back() - values.front()) / 10);
  const bool upward = side == Side::AtLeast || side == Side::Above;
  // Cut c (0..m) puts values[0..c) on the low side and values[c..m) on the high side.
  std::size_t best_cut = 0, best_selected = 0;
  bool found = false;
  std::size_t below = 0;  // leads with a value in values[0..c)
  for (std::size_t c = 0; c <= values.size(); ++c) {
    if (c > 0) below = static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), values[c - 1]) - sorted.begin());
    const std::size_t selected = upward ? n - below : below;
    const auto gap = [&](std::size_t s) { return s > count ? s - count : count - s; };
    if (!found || gap(selected) < gap(best_selected) || (gap(selected) == gap(best_selected) && selected > best_selected)) {
      best_cut = c, best_selected = selected, found = true;
    }
  }
  // The interval of thresholds that make this cut, and whether its ends may be taken.
  const double low = best_cut == 0 ? values.front() - margin : values[best_cut - 1];
  const double high = best_cut == values.size() ? values.back() + margin : values[best_cut];
  switch (side) {
    case Side::AtLeast: return round_number_between(low, high, best_cut == 0, true);   // (v[c-1], v[c]]
    case Side::Above: return round_number_between(low, high, true, best_cut == values.size());  // [v[c-1], v[c])
    case Side::AtMost: return round_number_between(low, high, true, best_cut == values.size());  // [v[c-1], v[c])
    case Side::Below: return round_number_between(low, high, best_cut == 0, true);   // (v[c-1], v[c]]
  }
  return low;
}

}  // namespace leadscore::calibrate
