#pragma once
// Per-rule evidence: how the close rate of the leads a rule matches compares with the base rate.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "calibrate/stats_intervals.hpp"

namespace leadscore::calibrate {

struct EvidenceOptions {
  std::uint64_t min_support = 30;  // fewer matched leads than this: low_support
  double z = z_95;                 // of the Wilson interval
};

struct RuleEvidence {
  std::string label;
  std::uint64_t matched = 0;
  std::uint64_t won = 0;
  double close_rate = 0.0;  // won / matched (NaN when nothing matched)
  double base_rate = 0.0;   // won / rows over all leads
  double lift = 0.0;        // close_rate / base_rate (NaN when either is undefined or base_rate is 0)
  Interval wilson;          // of close_rate
  bool significant = false;  // base_rate lies outside the Wilson interval
  bool low_support = false;  // matched < min_support
};

// matches: the rule's 0/1 match column; labels: 1 = closed-won. The base rate is the close rate of
// all rows, the rule's own leads included. Throws std::invalid_argument on columns of different
// lengths or values other than 0/1.
RuleEvidence rule_evidence(std::string label, std::span<const std::uint8_t> matches,
                           std::span<const std::uint8_t> labels, const EvidenceOptions& options = {});

}  // namespace leadscore::calibrate
