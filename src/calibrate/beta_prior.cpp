#include "calibrate/beta_prior.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace leadscore::calibrate {
namespace {

// Below this the between-rule variance is treated as zero (no spread beyond noise).
constexpr double negligible_variance = 1e-12;

void require_rate(double rate, const char* what) {
  if (!(rate > 0.0 && rate < 1.0)) throw std::invalid_argument(std::string(what) + ": base rate must be in (0, 1)");
}

BetaPrior centred_prior(double mean, double strength) {
  return {mean * strength, (1.0 - mean) * strength, false};
}

double logit(double p) { return std::log(p / (1.0 - p)); }

}  // namespace

BetaPrior fit_beta_prior(std::span<const RuleOutcomes> rules, double base_rate, double fallback_strength) {
  require_rate(base_rate, "fit_beta_prior");
  if (!(fallback_strength > 0.0)) throw std::invalid_argument("fit_beta_prior: fallback strength must be positive");

  double total_matched = 0.0;
  double total_won = 0.0;
  double sum_squared_matched = 0.0;
  double rules_with_matches = 0.0;
  for (const RuleOutcomes& rule : rules) {
    if (rule.won > rule.matched) throw std::invalid_argument("fit_beta_prior: a rule has more wins than matches");
    if (rule.matched == 0) continue;
    const double n = static_cast<double>(rule.matched);
    total_matched += n;
    total_won += static_cast<double>(rule.won);
    sum_squared_matched += n * n;
    rules_with_matches += 1.0;
  }
  const BetaPrior fallback = centred_prior(base_rate, fallback_strength);
  if (rules_with_matches < 3.0) return fallback;

  const double mean = total_won / total_matched;
  const double binomial_variance = mean * (1.0 - mean);
  if (binomial_variance <= 0.0) return fallback;

  double weighted_squares = 0.0;
  for (const RuleOutcomes& rule : rules) {
    if (rule.matched == 0) continue;
    const double n = static_cast<double>(rule.matched);
    const double deviation = static_cast<double>(rule.won) / n - mean;
    weighted_squares += n * deviation * deviation;
  }
  const double degrees = rules_with_matches - 1.0;
  const double effective_total = total_matched - sum_squared_matched / total_matched - degrees;
  if (effective_total <= 0.0) return fallback;
  const double between_variance = (weighted_squares - degrees * binomial_variance) / effective_total;
  if (!(between_variance > negligible_variance) || between_variance >= binomial_variance) return fallback;

  const double strength = binomial_variance / between_variance - 1.0;
  return {mean * strength, (1.0 - mean) * strength, true};
}

double shrunk_rate(std::uint64_t won, std::uint64_t matched, const BetaPrior& prior) {
  if (won > matched) throw std::invalid_argument("shrunk_rate: more wins than matches");
  return (static_cast<double>(won) + prior.alpha) / (static_cast<double>(matched) + prior.alpha + prior.beta);
}

double shrunk_log_lift(std::uint64_t won, std::uint64_t matched, double base_rate, const BetaPrior& prior) {
  require_rate(base_rate, "shrunk_log_lift");
  return std::log(shrunk_rate(won, matched, prior) / base_rate);
}

double shrunk_log_odds_ratio(std::uint64_t won, std::uint64_t matched, double base_rate, const BetaPrior& prior) {
  require_rate(base_rate, "shrunk_log_odds_ratio");
  return logit(shrunk_rate(won, matched, prior)) - logit(base_rate);
}

}  // namespace leadscore::calibrate
