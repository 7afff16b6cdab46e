#include "calibrate/rule_fit.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>
#include <unordered_map>

#include "calibrate/beta_prior.hpp"
#include "calibrate/logistic.hpp"
#include "calibrate/scorecard.hpp"

namespace leadscore::calibrate {

RuleFit fit_rules(const std::vector<RuleColumn>& cols, const std::vector<std::size_t>& rows,
                  const std::vector<std::uint8_t>& label, const RuleFitOptions& options) {
  RuleFit fit;
  const std::size_t k = cols.size();
  fit.log_odds.assign(k, std::numeric_limits<double>::quiet_NaN());
  fit.low_support.assign(k, false);
  std::uint64_t won = 0;
  for (auto r : rows) won += label[r];
  const double base = static_cast<double>(won) / static_cast<double>(rows.size());
  std::vector<std::size_t> used;
  std::vector<RuleOutcomes> outcomes(k);
  std::vector<double> mean_count(k, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    double count_sum = 0;
    for (auto r : rows) {
      outcomes[j].matched += cols[j].matched[r];
      outcomes[j].won += static_cast<std::uint64_t>(cols[j].matched[r] & label[r]);
      count_sum += cols[j].feature[r];
    }
    mean_count[j] = outcomes[j].matched ? count_sum / static_cast<double>(outcomes[j].matched) : 0.0;
    if (outcomes[j].matched < options.min_support) fit.low_support[j] = true;
    else used.push_back(j);
  }
  if (options.method == "logistic") {
    // Leads with the same features are one weighted row: rules give few distinct patterns, so the
    // Newton steps run over those instead of every lead.
    const std::size_t k_used = used.size();
    std::vector<double> x, won_share, weight;
    std::unordered_map<std::string, std::size_t> row_of_pattern;
    std::string key(k_used * sizeof(double), '\0');
    std::vector<double> pattern(k_used);
    for (auto r : rows) {
      for (std::size_t u = 0; u < k_used; ++u) pattern[u] = cols[used[u]].feature[r];
      if (k_used) std::memcpy(key.data(), pattern.data(), key.size());
      auto [it, added] = row_of_pattern.emplace(key, weight.size());
      if (added) {
        x.insert(x.end(), pattern.begin(), pattern.end());
        won_share.push_back(0.0);
        weight.push_back(0.0);
      }
      won_share[it->second] += label[r];
      weight[it->second] += 1.0;
    }
    for (std::size_t g = 0; g < weight.size(); ++g) won_share[g] /= weight[g];
    LogisticOptions logistic;
    logistic.l2 = options.l2;
    LogisticFit lf = fit_logistic_grouped(x, k_used, won_share, weight, logistic);
    fit.intercept = lf.intercept;
    for (std::size_t u = 0; u < used.size(); ++u) fit.log_odds[used[u]] = lf.coefficients[u];
  } else {
    std::vector<RuleOutcomes> supported;
    for (auto j : used) supported.push_back(outcomes[j]);
    BetaPrior prior = fit_beta_prior(supported, base);
    fit.intercept = std::log(base / (1 - base));
    for (auto j : used) {
      double w = shrunk_log_odds_ratio(outcomes[j].won, outcomes[j].matched, base, prior);
      // Each-rules: the indicator's weight spread over the events a matched lead has on average.
      fit.log_odds[j] = cols[j].each && mean_count[j] > 0 ? w / mean_count[j] : w;
    }
  }
  const double factor = options.pdo / std::numbers::ln2;
  for (std::size_t j = 0; j < k; ++j) {
    const auto& c = cols[j];
    if (fit.low_support[j]) {
      fit.points.push_back(c.written_points);
      fit.caps.push_back(c.written_cap);
      continue;
    }
    double p = round_points(factor * fit.log_odds[j]);
    fit.points.push_back(p);
    // The cap keeps its number of events: max M for P points is M/|P| events.
    if (c.written_cap && c.written_points != 0 && p != 0)
      fit.caps.push_back(round_points(std::abs(p) * *c.written_cap / std::abs(c.written_points)));
    else
      fit.caps.push_back(c.written_cap);
  }
  return fit;
}

}  // namespace leadscore::calibrate
