#include "calibrate/evidence.hpp"

#include <limits>
#include <utility>

#include "calibrate/input_checks.hpp"

namespace leadscore::calibrate {
namespace {

double ratio(double numerator, double denominator) {
  return denominator > 0.0 ? numerator / denominator : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

RuleEvidence rule_evidence(std::string label, std::span<const std::uint8_t> matches,
                           std::span<const std::uint8_t> labels, const EvidenceOptions& options) {
  constexpr const char* what = "rule_evidence";
  detail::require_same_size(matches.size(), labels.size(), what);
  detail::require_binary(matches, what);
  detail::require_binary(labels, what);

  RuleEvidence evidence;
  evidence.label = std::move(label);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    evidence.matched += matches[i];
    evidence.won += static_cast<std::uint64_t>(matches[i] & labels[i]);
  }
  const auto matched = static_cast<double>(evidence.matched);
  evidence.close_rate = ratio(static_cast<double>(evidence.won), matched);
  evidence.base_rate = ratio(static_cast<double>(detail::count_ones(labels)), static_cast<double>(labels.size()));
  evidence.lift = evidence.base_rate > 0.0 ? ratio(evidence.close_rate, evidence.base_rate)
                                           : std::numeric_limits<double>::quiet_NaN();
  evidence.wilson = wilson_interval(evidence.won, evidence.matched, options.z);
  evidence.significant = evidence.matched > 0 && differs_from(evidence.wilson, evidence.base_rate);
  evidence.low_support = evidence.matched < options.min_support;
  return evidence;
}

}  // namespace leadscore::calibrate
