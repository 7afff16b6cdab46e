#include "jobs/baseline_onehot.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "calibrate/logistic.hpp"
#include "calibrate/model_backtest.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::calibrate;

namespace {

struct Encoded {
  std::size_t column = 0;  // in leads.extra
  bool numeric = true;
  double mean = 0, sd = 1;
  std::vector<std::string_view> levels;  // sorted; the kept values of a text column
  bool other = false;                    // one more feature for every other value
  std::size_t features() const { return numeric ? 1 : levels.size() + (other ? 1 : 0); }
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "none" : out;
}

}  // namespace

ModelBacktest baseline_onehot(const BaselineRequest& req, const engine::LeadTable& leads,
                              const std::vector<std::uint8_t>& label, const std::vector<std::size_t>& train,
                              const std::vector<std::size_t>& test, std::uint64_t volume, std::string& description) {
  std::vector<Encoded> enc;
  std::vector<std::string> numeric_names, text_names, left_out;
  std::vector<std::pair<std::size_t, std::vector<std::pair<std::string_view, std::size_t>>>> text_counts;
  std::size_t numeric_features = 0;
  std::unordered_set<std::string> seen_names;
  for (std::size_t c = 0; c < leads.extra_names.size(); ++c) {
    const std::string& name = leads.extra_names[c];
    if (!seen_names.insert(name).second) continue;
    if (std::find(req.exclude.begin(), req.exclude.end(), name) != req.exclude.end()) continue;
    if (!req.id_column.empty() && name == req.id_column) {
      left_out.push_back(fmt::format("{} (the lead id)", name));
      continue;
    }
    const engine::Column& column = leads.extra[c];
    Encoded e;
    e.column = c;
    for (auto rows : {std::span<const std::size_t>(train), std::span<const std::size_t>(test)})
      for (auto r : rows)
        if (e.numeric && column.valid[r] && !io::parse_number(column.str[r]).has_value()) e.numeric = false;
    std::unordered_map<std::string_view, std::size_t> counts;
    std::size_t present = 0;
    bool whole = true;
    double sum = 0, sq = 0;
    for (auto r : train) {
      if (!column.valid[r]) continue;
      ++present;
      ++counts[column.str[r]];
      if (e.numeric) {
        const double v = io::parse_number(column.str[r]).value;
        whole = whole && v == std::floor(v);
        sum += v;
        sq += v * v;
      }
    }
    const bool near_unique = present >= 20 && static_cast<double>(counts.size()) >= 0.9 * static_cast<double>(present);
    if (near_unique && (!e.numeric || (whole && counts.size() == present))) {
      left_out.push_back(fmt::format("{} ({} different values in {} leads: an identifier)", name, counts.size(), present));
      continue;
    }
    if (e.numeric) {
      const double n = static_cast<double>(present);
      e.mean = present ? sum / n : 0;
      e.sd = present ? std::sqrt(std::max(0.0, sq / n - e.mean * e.mean)) : 1;
      if (!(e.sd > 0)) e.sd = 1;
      ++numeric_features;
      numeric_names.push_back(name);
    } else {
      std::vector<std::pair<std::string_view, std::size_t>> ranked(counts.begin(), counts.end());
      std::sort(ranked.begin(), ranked.end(),
                [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
      text_counts.emplace_back(enc.size(), std::move(ranked));
    }
    enc.push_back(std::move(e));
  }
  // The most frequent values of each text column, as many as the feature budget allows.
  std::size_t levels = kBaselineLevels;
  if (!text_counts.empty() && numeric_features + text_counts.size() * (levels + 1) > kBaselineMaxFeatures)
    levels = std::max<std::size_t>(
        1, (kBaselineMaxFeatures > numeric_features ? kBaselineMaxFeatures - numeric_features : 0) / text_counts.size() - 1);
  for (auto& [index, ranked] : text_counts) {
    Encoded& e = enc[index];
    // An empty cell is a value of its own: its rows have every kept feature 0.
    for (std::size_t i = 0; i < ranked.size() && e.levels.size() < levels; ++i) e.levels.push_back(ranked[i].first);
    e.other = ranked.size() > e.levels.size();
    std::sort(e.levels.begin(), e.levels.end());
    text_names.push_back(e.other ? fmt::format("{} ({} of {} values)", leads.extra_names[e.column], e.levels.size(), ranked.size())
                                 : fmt::format("{} ({} values)", leads.extra_names[e.column], e.levels.size()));
  }
  std::size_t features = 0;
  for (const auto& e : enc) features += e.features();

  auto encode = [&](const std::vector<std::size_t>& rows, std::vector<double>& x) {
    x.assign(rows.size() * features, 0.0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::size_t f = 0;
      double* row = x.data() + i * features;
      for (const auto& e : enc) {
        const engine::Column& column = leads.extra[e.column];
        const std::size_t r = rows[i];
        if (e.numeric) {
          row[f++] = column.valid[r] ? (io::parse_number(column.str[r]).value - e.mean) / e.sd : 0.0;
          continue;
        }
        if (column.valid[r]) {
          auto it = std::lower_bound(e.levels.begin(), e.levels.end(), column.str[r]);
          if (it != e.levels.end() && *it == column.str[r]) row[f + static_cast<std::size_t>(it - e.levels.begin())] = 1.0;
          else if (e.other) row[f + e.levels.size()] = 1.0;
        }
        f += e.features();
      }
    }
  };
  std::vector<std::uint8_t> y_train, y_test;
  for (auto r : train) y_train.push_back(label[r]);
  for (auto r : test) y_test.push_back(label[r]);
  LogisticOptions options;
  options.l2 = req.l2;
  std::vector<double> x;
  encode(train, x);
  LogisticFit fit = fit_logistic(x, features, y_train, options);
  encode(test, x);
  std::vector<double> p(test.size());
  for (std::size_t i = 0; i < test.size(); ++i)
    p[i] = logistic_probability(fit, std::span<const double>(x.data() + i * features, features));
  description = fmt::format("L2 logistic regression (lambda {}), {} features: numeric {}; one-hot {}; left out {}",
                            io::format_number(req.l2), features, join(numeric_names), join(text_names), join(left_out));
  return backtest_model(p, p, y_test, nullptr, volume);
}

}  // namespace leadscore::jobs
