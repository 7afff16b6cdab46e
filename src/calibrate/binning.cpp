#include "calibrate/binning.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

namespace leadscore::calibrate {
namespace {

struct Cell {
  std::uint64_t count = 0, won = 0;
};

// Merges adjacent cells in place; `merged(i)` is called as cell i+1 is folded into cell i.
template <class OnMerge>
void chi_merge(std::vector<Cell>& cells, const BinningOptions& o, OnMerge merged) {
  while (cells.size() > 1) {
    std::size_t best = 0;
    double best_score = std::numeric_limits<double>::infinity();
    bool too_small = false;
    for (std::size_t i = 0; i + 1 < cells.size(); ++i) {
      const bool small = cells[i].count < o.min_support || cells[i + 1].count < o.min_support;
      const double chi = chi_square(cells[i].count, cells[i].won, cells[i + 1].count, cells[i + 1].won);
      // A pair holding a too-small cell goes first, the smaller pair first among those.
      const double score = small ? -1.0 / static_cast<double>(cells[i].count + cells[i + 1].count + 1) : chi;
      if (score < best_score) {
        best_score = score;
        best = i;
        too_small = small;
      }
    }
    if (!too_small && best_score >= o.min_chi2 && cells.size() <= o.max_bins) break;
    cells[best].count += cells[best + 1].count;
    cells[best].won += cells[best + 1].won;
    cells.erase(cells.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    merged(best);
  }
}

}  // namespace

double chi_square(std::uint64_t count_a, std::uint64_t won_a, std::uint64_t count_b, std::uint64_t won_b) {
  const double n = static_cast<double>(count_a + count_b);
  const double won = static_cast<double>(won_a + won_b);
  const double lost = n - won;
  if (count_a == 0 || count_b == 0 || won == 0 || lost == 0) return 0.0;
  double chi = 0;
  const double observed[2][2] = {{static_cast<double>(won_a), static_cast<double>(count_a - won_a)},
                                 {static_cast<double>(won_b), static_cast<double>(count_b - won_b)}};
  const double rows[2] = {static_cast<double>(count_a), static_cast<double>(count_b)};
  const double cols[2] = {won, lost};
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 2; ++c) {
      const double expected = rows[r] * cols[c] / n;
      chi += (observed[r][c] - expected) * (observed[r][c] - expected) / expected;
    }
  return chi;
}

std::vector<NumericBin> numeric_bins(std::span<const double> values, std::span<const std::uint8_t> labels,
                                     const BinningOptions& options) {
  if (values.size() != labels.size()) throw std::invalid_argument("numeric_bins: values and labels differ in length");
  for (double v : values)
    if (!std::isfinite(v)) throw std::invalid_argument("numeric_bins: non-finite value");
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  // Cut candidates: the values at the quantiles, each a bin's inclusive lower end.
  std::vector<double> cuts;
  const std::size_t n = order.size();
  const std::size_t parts = std::max<std::size_t>(options.candidates, 1);
  for (std::size_t q = 1; q < parts && n > 0; ++q) {
    const double cut = values[order[q * n / parts]];
    if (cut > values[order.front()] && (cuts.empty() || cut > cuts.back())) cuts.push_back(cut);
  }
  std::vector<NumericBin> bins(cuts.size() + 1);
  for (std::size_t b = 0; b < cuts.size(); ++b) {
    bins[b].high = cuts[b];
    bins[b + 1].low = cuts[b];
  }
  std::vector<Cell> cells(bins.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t b = static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), values[i]) - cuts.begin());
    ++cells[b].count;
    cells[b].won += labels[i] ? 1 : 0;
  }
  chi_merge(cells, options, [&](std::size_t i) {
    bins[i].high = bins[i + 1].high;
    bins.erase(bins.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  });
  for (std::size_t b = 0; b < bins.size(); ++b) {
    bins[b].count = cells[b].count;
    bins[b].won = cells[b].won;
  }
  return bins;
}

std::vector<CategoryGroup> category_groups(std::span<const std::string> keys, std::span<const std::uint8_t> labels,
                                           const BinningOptions& options) {
  if (keys.size() != labels.size()) throw std::invalid_argument("category_groups: keys and labels differ in length");
  std::map<std::string, Cell> by_value;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    Cell& c = by_value[keys[i]];
    ++c.count;
    c.won += labels[i] ? 1 : 0;
  }
  std::vector<std::pair<std::string, Cell>> common;
  CategoryGroup rare;
  rare.rare = true;
  for (const auto& [value, cell] : by_value) {
    if (cell.count >= options.min_support) {
      common.emplace_back(value, cell);
    } else {
      rare.values.push_back(value);
      rare.count += cell.count;
      rare.won += cell.won;
    }
  }
  auto rate = [](const Cell& c) { return static_cast<double>(c.won) / static_cast<double>(c.count); };
  std::stable_sort(common.begin(), common.end(), [&](const auto& a, const auto& b) { return rate(a.second) < rate(b.second); });
  std::vector<CategoryGroup> groups;
  std::vector<Cell> cells;
  for (const auto& [value, cell] : common) {
    groups.push_back(CategoryGroup{{value}, cell.count, cell.won, false});
    cells.push_back(cell);
  }
  BinningOptions o = options;
  o.min_support = 0;  // every common value already has the support
  chi_merge(cells, o, [&](std::size_t i) {
    auto& into = groups[i].values;
    into.insert(into.end(), groups[i + 1].values.begin(), groups[i + 1].values.end());
    groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  });
  for (std::size_t g = 0; g < groups.size(); ++g) {
    groups[g].count = cells[g].count;
    groups[g].won = cells[g].won;
    std::stable_sort(groups[g].values.begin(), groups[g].values.end(),
                     [&](const std::string& a, const std::string& b) { return by_value[a].count > by_value[b].count; });
  }
  if (!rare.values.empty()) groups.push_back(std::move(rare));
  return groups;
}

}  // namespace leadscore::calibrate
