// The one definition of "fired" and "capped" (engine/exec/outcome.hpp).
#include <doctest/doctest.h>

#include "engine/exec/outcome.hpp"

using namespace leadscore::engine;

TEST_CASE("outcome: a when-rule fires when its condition is true, whatever its points") {
  auto fired = when_rule_outcome(kTrue, RulePoints{0, std::nullopt});
  CHECK(fired.fired);
  CHECK(fired.contribution == 0);
  CHECK_FALSE(fired.capped);
  auto unknown = when_rule_outcome(kUnknown, RulePoints{10, std::nullopt});
  CHECK_FALSE(unknown.fired);
  CHECK(unknown.condition == kUnknown);
  CHECK(unknown.contribution == 0);
  CHECK(when_rule_outcome(kTrue, RulePoints{-15, std::nullopt}).contribution == -15);
}

TEST_CASE("outcome: an each-rule fires on one matching event and is capped only beyond its max") {
  RulePoints five_max_15{5, 15.0};
  auto none = each_rule_outcome(0, five_max_15);
  CHECK_FALSE(none.fired);
  CHECK(none.contribution == 0);
  auto at = each_rule_outcome(3, five_max_15);  // 15: exactly the max, not beyond it
  CHECK(at.fired);
  CHECK(at.contribution == 15);
  CHECK_FALSE(at.capped);
  auto beyond = each_rule_outcome(4, five_max_15);
  CHECK(beyond.capped);
  CHECK(beyond.contribution == 15);
  auto negative = each_rule_outcome(4, RulePoints{-5, 15.0});
  CHECK(negative.capped);
  CHECK(negative.contribution == -15);
  CHECK(each_rule_outcome(0.5, RulePoints{0, std::nullopt}).fired);  // worth nothing, still fired
}

TEST_CASE("outcome: a section is capped or raised only when the sum before the limit lies beyond it") {
  auto at_max = section_outcome(20, 1, 20.0, std::nullopt);  // repro 1: max 20, sum 20
  CHECK(at_max.limit == Limit::None);
  CHECK(at_max.value == 20);
  auto over = section_outcome(20, 1.2, 20.0, std::nullopt);
  CHECK(over.limit == Limit::Max);
  CHECK(over.unlimited == doctest::Approx(24));
  CHECK(over.value == 20);
  auto at_min = section_outcome(-50, 1, std::nullopt, -50.0);
  CHECK(at_min.limit == Limit::None);
  auto under = section_outcome(-60, 1, 100.0, -50.0);
  CHECK(under.limit == Limit::Min);
  CHECK(under.value == -50);
}
