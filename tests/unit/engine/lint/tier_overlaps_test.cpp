// The tier-overlap index against the pairwise definition it replaces, and its size guard.
#include <doctest/doctest.h>

#include <ctime>
#include <random>

#include "engine/lint/tier_overlaps.hpp"

using namespace leadscore;
using lint::Interval;
using lint::Tier;

namespace {

// The loop the index replaces: the first earlier tier of the same key that overlaps without nesting.
std::vector<std::optional<std::size_t>> pairwise(const std::vector<Tier>& tiers) {
  std::vector<std::optional<std::size_t>> out(tiers.size());
  for (std::size_t i = 0; i < tiers.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      if (tiers[j].key != tiers[i].key) continue;
      const Interval &a = tiers[j].range, &b = tiers[i].range;
      if (a.intersect(b).empty() || a.contains(b) || b.contains(a)) continue;
      out[i] = j;
      break;
    }
  return out;
}

}  // namespace

TEST_CASE("tier overlaps: the index finds what the pairwise loop finds") {
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int round = 0; round < 3000; ++round) {
    std::vector<Tier> tiers;
    int n = 1 + pick(14);
    for (int i = 0; i < n; ++i) {
      Interval r;
      // Few distinct values, so equal bounds with every mix of open and closed ends are common.
      if (pick(5)) r.lo = pick(6), r.lo_open = pick(2);
      if (pick(5)) r.hi = pick(6), r.hi_open = pick(2);
      if (r.empty()) continue;
      tiers.push_back(Tier{pick(4) ? "employees" : "revenue", r});
    }
    CAPTURE(round);
    REQUIRE(lint::first_crossing_tiers(tiers) == pairwise(tiers));
  }
}

TEST_CASE("tier overlaps: examples") {
  auto between = [](double lo, double hi) { return Interval{lo, hi, false, false}; };
  auto at_least = [](double lo) { return Interval{lo, lint::kInf, false, false}; };
  auto below = [](double hi) { return Interval{-lint::kInf, hi, false, true}; };
  std::vector<Tier> tiers{{"e", at_least(1000)},       // 0
                          {"e", between(500, 2000)},   // 1: crosses 0
                          {"e", at_least(100000)},     // 2: nested in 0 (a bonus), crosses nothing else
                          {"e", below(1000)},          // 3: ends where 0 starts; crosses 1
                          {"r", between(500, 2000)}};  // 4: another value
  auto found = lint::first_crossing_tiers(tiers);
  CHECK(found == std::vector<std::optional<std::size_t>>{std::nullopt, 0, std::nullopt, 1, std::nullopt});
}

// Issue 11: the pairwise loop took 4.7 s at 40k tiers and never finished at 1M. Here every tier
// overlaps the one before it, so the pairwise loop would compare 5 billion pairs. The bound only
// guards against that: 2.5 s of processor time in an ASan Debug build, 5 times less than the bound.
TEST_CASE("tier overlaps: 100k overlapping tiers in linearithmic time") {
  std::vector<Tier> tiers;
  for (int i = 0; i < 100'000; ++i) tiers.push_back(Tier{"employees", Interval{i * 10.0, i * 10.0 + 15, false, false}});
  std::clock_t start = std::clock();  // processor time: a busy machine does not count
  auto found = lint::first_crossing_tiers(tiers);
  double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  std::size_t after_previous = 0;
  for (std::size_t i = 1; i < found.size(); ++i) after_previous += found[i] == i - 1;
  CHECK_FALSE(found[0]);
  CHECK(after_previous == found.size() - 1);
  CHECK(seconds < 15);
}
