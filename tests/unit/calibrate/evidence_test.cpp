#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "calibrate/evidence.hpp"

using namespace leadscore::calibrate;

TEST_CASE("rule evidence counts matches and wins against the base rate") {
  // 40 leads, 10 won (base 0.25). The rule matches the first 10, of which 6 won:
  // close rate 0.6, lift 2.4, Wilson(6, 10) = [0.3127, 0.8318] excludes 0.25 -> significant,
  // but 10 < 30 matched -> low support.
  std::vector<std::uint8_t> matches(40, 0);
  std::vector<std::uint8_t> labels(40, 0);
  for (std::size_t i = 0; i < 10; ++i) matches[i] = 1;
  for (std::size_t i = 0; i < 6; ++i) labels[i] = 1;
  for (std::size_t i = 20; i < 24; ++i) labels[i] = 1;

  const RuleEvidence e = rule_evidence("Demo request", matches, labels);
  CHECK(e.label == "Demo request");
  CHECK(e.matched == 10);
  CHECK(e.won == 6);
  CHECK(e.close_rate == doctest::Approx(0.6));
  CHECK(e.base_rate == doctest::Approx(0.25));
  CHECK(e.lift == doctest::Approx(2.4));
  CHECK(e.wilson.low == doctest::Approx(0.31267376973365824).epsilon(1e-12));
  CHECK(e.wilson.high == doctest::Approx(0.8318196702937638).epsilon(1e-12));
  CHECK(e.significant);
  CHECK(e.low_support);

  EvidenceOptions lenient;
  lenient.min_support = 10;
  CHECK_FALSE(rule_evidence("Demo request", matches, labels, lenient).low_support);
}

TEST_CASE("rule evidence: a rule near the base rate is not significant, an empty rule has no rate") {
  // Matches 30 leads of 120 with 4 won (0.133); base rate 30/120 = 0.25.
  // Wilson(4, 30) = [0.0531, 0.2968] holds 0.25 -> not significant; 30 matched is enough support.
  std::vector<std::uint8_t> matches(120, 0);
  std::vector<std::uint8_t> labels(120, 0);
  for (std::size_t i = 0; i < 30; ++i) matches[i] = 1;
  for (std::size_t i = 0; i < 4; ++i) labels[i] = 1;
  for (std::size_t i = 50; i < 76; ++i) labels[i] = 1;
  const RuleEvidence e = rule_evidence("Webinar", matches, labels);
  CHECK(e.won == 4);
  CHECK(e.wilson.low == doctest::Approx(0.053096554840547455).epsilon(1e-12));
  CHECK(e.wilson.high == doctest::Approx(0.296813266820363).epsilon(1e-12));
  CHECK_FALSE(e.significant);
  CHECK_FALSE(e.low_support);

  const RuleEvidence never = rule_evidence("Never", std::vector<std::uint8_t>(120, 0), labels);
  CHECK(never.matched == 0);
  CHECK(std::isnan(never.close_rate));
  CHECK(std::isnan(never.lift));
  CHECK_FALSE(never.significant);
  CHECK(never.low_support);
  CHECK_THROWS_AS(rule_evidence("x", matches, std::vector<std::uint8_t>(3, 0)), std::invalid_argument);
}
