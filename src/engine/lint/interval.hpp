#pragma once
// A numeric range a condition selects: `employees between 1000 and 2000`, `employees > 10`.
#include <limits>
#include <string>

#include <fmt/format.h>

namespace leadscore::lint {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct Interval {
  double lo = -kInf, hi = kInf;
  bool lo_open = false, hi_open = false;

  bool empty() const { return lo > hi || (lo == hi && (lo_open || hi_open)); }
  Interval intersect(const Interval& o) const {
    Interval r = *this;
    if (o.lo > r.lo || (o.lo == r.lo && o.lo_open)) r.lo = o.lo, r.lo_open = o.lo_open;
    if (o.hi < r.hi || (o.hi == r.hi && o.hi_open)) r.hi = o.hi, r.hi_open = o.hi_open;
    return r;
  }
  bool contains(const Interval& o) const {
    bool lo_ok = lo < o.lo || (lo == o.lo && (!lo_open || o.lo_open));
    bool hi_ok = hi > o.hi || (hi == o.hi && (!hi_open || o.hi_open));
    return lo_ok && hi_ok;
  }
  // `employees between 1000 and 2000`, `employees >= 1000`, `employees > 10 and employees < 20`.
  std::string describe(const std::string& key) const {
    auto number_text = [](double v) { return fmt::format("{}", v); };
    bool has_lo = lo != -kInf, has_hi = hi != kInf;
    if (has_lo && has_hi && !lo_open && !hi_open) {
      if (lo == hi) return fmt::format("{} == {}", key, number_text(lo));
      return fmt::format("{} between {} and {}", key, number_text(lo), number_text(hi));
    }
    std::string out;
    if (has_lo) out = fmt::format("{} {} {}", key, lo_open ? ">" : ">=", number_text(lo));
    if (has_hi) out += fmt::format("{}{} {} {}", out.empty() ? "" : " and ", key, hi_open ? "<" : "<=", number_text(hi));
    return out.empty() ? key : out;
  }
};

}  // namespace leadscore::lint
