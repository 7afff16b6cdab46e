#pragma once
// Empirical-Bayes Beta prior over rule close rates, and the shrunk rates it gives.
#include <cstdint>
#include <span>

namespace leadscore::calibrate {

struct RuleOutcomes {
  std::uint64_t won = 0;      // matched leads that closed-won
  std::uint64_t matched = 0;  // leads the rule matched
};

struct BetaPrior {
  double alpha = 1.0;
  double beta = 1.0;
  bool fitted_by_moments = false;  // false: the fallback prior was used

  double mean() const { return alpha / (alpha + beta); }
  // Pseudo-count: how many leads' worth of evidence the prior is worth.
  double strength() const { return alpha + beta; }
};

inline constexpr double default_fallback_strength = 20.0;

// Fits Beta(alpha, beta) to the rules' close rates by the method of moments, weighting each rule
// by its matched count and removing the binomial sampling noise from the observed spread:
//   m    = sum(won) / sum(matched)
//   S    = sum n_i (p_i - m)^2,  N = sum n_i,  k = rules with n_i > 0
//   tau2 = (S - (k - 1) m (1 - m)) / (N - sum(n_i^2) / N - (k - 1))    (between-rule variance)
//   alpha + beta = m (1 - m) / tau2 - 1,  alpha = m (alpha + beta),  beta = (1 - m)(alpha + beta)
// Fallback (fitted_by_moments = false): fewer than 3 rules with matches, m at 0 or 1, or tau2 not
// clearly positive (the rates differ no more than noise explains) -> a prior centred on base_rate
// worth fallback_strength leads. Throws std::invalid_argument when base_rate is not in (0, 1),
// a rule has won > matched, or fallback_strength <= 0.
BetaPrior fit_beta_prior(std::span<const RuleOutcomes> rules, double base_rate,
                         double fallback_strength = default_fallback_strength);

// Posterior mean close rate: (won + alpha) / (matched + alpha + beta).
double shrunk_rate(std::uint64_t won, std::uint64_t matched, const BetaPrior& prior);

// ln(shrunk_rate / base_rate): the rule's log-lift over the base close rate.
double shrunk_log_lift(std::uint64_t won, std::uint64_t matched, double base_rate, const BetaPrior& prior);

// logit(shrunk_rate) - logit(base_rate): the rule's log-odds ratio, the quantity the scorecard's
// "points to double the odds" convention is defined on.
double shrunk_log_odds_ratio(std::uint64_t won, std::uint64_t matched, double base_rate, const BetaPrior& prior);

}  // namespace leadscore::calibrate
