#pragma once
// The scorecard convention: points are a linear scale of log-odds, so calibrated points read like
// hand-written ones. Every pdo points double the odds of closing; base_points sits at base_odds.
namespace leadscore::calibrate {

struct Scorecard {
  double pdo = 20.0;          // points to double the odds
  double base_points = 0.0;   // the score at which the odds of closing are base_odds
  double base_odds = 1.0;     // won : lost at base_points (1 = even odds)

  // A scorecard whose base_points sit at the odds of base_rate (in (0, 1)).
  static Scorecard at_base_rate(double base_rate, double pdo = 20.0, double base_points = 0.0);

  // pdo / ln 2: points per unit of log-odds.
  double factor() const;
  // Points worth a change of delta in log-odds: factor * delta.
  double points_from_log_odds_delta(double delta) const;
  // The inverse: points / factor.
  double log_odds_delta_from_points(double points) const;
  // Absolute log-odds at a score: ln(base_odds) + (score - base_points) / factor.
  double log_odds_at_score(double score) const;
  // Absolute score at a log-odds: base_points + factor * (log_odds - ln(base_odds)).
  double score_at_log_odds(double log_odds) const;
};

// Points as written in a rules file: rounded half away from zero to 1 decimal, the half decided on
// the shortest decimal text that reads back as the same double (2.25 -> 2.3, 1.45 -> 1.5), never -0.
double round_points(double points);

}  // namespace leadscore::calibrate
