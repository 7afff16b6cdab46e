#include "calibrate/scorecard.hpp"

#include <charconv>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace leadscore::calibrate {

Scorecard Scorecard::at_base_rate(double base_rate, double pdo, double base_points) {
  if (!(base_rate > 0.0 && base_rate < 1.0)) throw std::invalid_argument("Scorecard: base rate must be in (0, 1)");
  return {pdo, base_points, base_rate / (1.0 - base_rate)};
}

double Scorecard::factor() const { return pdo / std::numbers::ln2; }

double Scorecard::points_from_log_odds_delta(double delta) const { return factor() * delta; }

double Scorecard::log_odds_delta_from_points(double points) const { return points / factor(); }

double Scorecard::log_odds_at_score(double score) const {
  return std::log(base_odds) + (score - base_points) / factor();
}

double Scorecard::score_at_log_odds(double log_odds) const {
  return base_points + factor() * (log_odds - std::log(base_odds));
}

double round_points(double points) {
  if (!std::isfinite(points) || points == 0.0) return points == 0.0 ? 0.0 : points;
  char text[400];
  const auto written = std::to_chars(text, text + sizeof text, std::abs(points), std::chars_format::fixed);
  std::string digits(text, written.ptr);
  const std::size_t point = digits.find('.');
  if (point == std::string::npos) return points;

  // Keep one decimal; round the magnitude up when the dropped part starts with 5 or more.
  const bool round_up = digits.size() > point + 2 && digits[point + 2] >= '5';
  std::string kept = digits.substr(0, std::min(digits.size(), point + 2));
  double magnitude = 0.0;
  std::from_chars(kept.data(), kept.data() + kept.size(), magnitude);
  if (round_up) magnitude = (std::round(magnitude * 10.0) + 1.0) / 10.0;
  if (magnitude == 0.0) return 0.0;
  return points < 0.0 ? -magnitude : magnitude;
}

}  // namespace leadscore::calibrate
