#include "engine/lint/tier_overlaps.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>

namespace leadscore::lint {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// Bounds as totally ordered keys. A lower bound `>= v` comes before `> v`; an upper bound `< v`
// before `<= v`. Then A contains B exactly when lo(A) <= lo(B) and hi(A) >= hi(B).
using Key = std::pair<double, int>;
Key lo_key(const Interval& r) { return {r.lo, r.lo_open ? 1 : 0}; }
Key hi_key(const Interval& r) { return {r.hi, r.hi_open ? 0 : 1}; }

// The smallest value over a range of positions, with point updates.
class MinTree {
 public:
  explicit MinTree(std::size_t n) : n_(n), cells_(2 * n, kNone) {}
  void lower(std::size_t at, std::size_t value) {
    for (at += n_; at > 0; at /= 2) cells_[at] = std::min(cells_[at], value);
  }
  std::size_t min(std::size_t from, std::size_t to) const {  // [from, to)
    std::size_t best = kNone;
    for (from += n_, to += n_; from < to; from /= 2, to /= 2) {
      if (from & 1) best = std::min(best, cells_[from++]);
      if (to & 1) best = std::min(best, cells_[--to]);
    }
    return best;
  }

 private:
  std::size_t n_;
  std::vector<std::size_t> cells_;
};

std::size_t rank_before(const std::vector<Key>& keys, const Key& k) {  // first position with key >= k
  return static_cast<std::size_t>(std::lower_bound(keys.begin(), keys.end(), k) - keys.begin());
}
std::size_t rank_after(const std::vector<Key>& keys, const Key& k) {  // first position with key > k
  return static_cast<std::size_t>(std::upper_bound(keys.begin(), keys.end(), k) - keys.begin());
}

std::vector<Key> sorted_unique(std::vector<Key> keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// Two ranges overlap without nesting in one of two ways: the earlier one A starts before B and
// ends inside it (lo(A) < lo(B), hi(A) < hi(B), and hi(A) reaches lo(B)), or A starts inside B
// and ends after it. Each way is one sweep over one bound with a min-index tree over the other.
void cross_group(const std::vector<Tier>& tiers, const std::vector<std::size_t>& group,
                 std::vector<std::size_t>& best) {
  std::vector<Key> los, his;
  for (std::size_t i : group) los.push_back(lo_key(tiers[i].range)), his.push_back(hi_key(tiers[i].range));
  los = sorted_unique(std::move(los));
  his = sorted_unique(std::move(his));

  // A starts before B: sweep by lower bound, earlier lower bounds in a tree over upper bounds.
  std::vector<std::size_t> order = group;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return lo_key(tiers[a].range) < lo_key(tiers[b].range); });
  MinTree by_hi(his.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start;
    const Key lo = lo_key(tiers[order[start]].range);
    while (end < order.size() && lo_key(tiers[order[end]].range) == lo) ++end;
    for (std::size_t k = start; k < end; ++k) {
      const Interval& b = tiers[order[k]].range;
      // hi(A) must reach lo(B): `<= v` reaches `>= v`; anything above v reaches `> v`.
      std::size_t from = b.lo_open ? rank_after(his, {b.lo, 1}) : rank_before(his, {b.lo, 1});
      std::size_t to = rank_before(his, hi_key(b));
      if (from < to) best[order[k]] = std::min(best[order[k]], by_hi.min(from, to));
    }
    for (std::size_t k = start; k < end; ++k) by_hi.lower(rank_before(his, hi_key(tiers[order[k]].range)), order[k]);
    start = end;
  }

  // A ends after B: sweep by upper bound from the top, later upper bounds in a tree over lower bounds.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return hi_key(tiers[b].range) < hi_key(tiers[a].range); });
  MinTree by_lo(los.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start;
    const Key hi = hi_key(tiers[order[start]].range);
    while (end < order.size() && hi_key(tiers[order[end]].range) == hi) ++end;
    for (std::size_t k = start; k < end; ++k) {
      const Interval& b = tiers[order[k]].range;
      // lo(A) must be reached by hi(B): `>= v` by `<= v`; anything below v by `< v`.
      std::size_t from = rank_after(los, lo_key(b));
      std::size_t to = b.hi_open ? rank_before(los, {b.hi, 0}) : rank_after(los, {b.hi, 0});
      if (from < to) best[order[k]] = std::min(best[order[k]], by_lo.min(from, to));
    }
    for (std::size_t k = start; k < end; ++k) by_lo.lower(rank_before(los, lo_key(tiers[order[k]].range)), order[k]);
    start = end;
  }
}

}  // namespace

std::vector<std::optional<std::size_t>> first_crossing_tiers(const std::vector<Tier>& tiers) {
  std::unordered_map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const Interval& r = tiers[i].range;
    if (std::isnan(r.lo) || std::isnan(r.hi)) continue;  // no order to sort by; compares with nothing
    groups[tiers[i].key].push_back(i);
  }
  std::vector<std::size_t> best(tiers.size(), kNone);
  for (const auto& [key, group] : groups) cross_group(tiers, group, best);
  std::vector<std::optional<std::size_t>> out(tiers.size());
  for (std::size_t i = 0; i < tiers.size(); ++i)
    if (best[i] < i) out[i] = best[i];  // the smallest crossing index; only an earlier one counts
  return out;
}

}  // namespace leadscore::lint
