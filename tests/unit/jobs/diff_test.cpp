// The pieces of `leadscore diff` that have no files: --fail-if, quantiles, rules specs.
#include <doctest/doctest.h>

#include <cmath>

#include "jobs/diff.hpp"

using namespace leadscore::engine;
using namespace leadscore::jobs;

TEST_CASE("--fail-if: metric, operator, value and percent") {
  FailIf f;
  std::string error;
  REQUIRE(parse_fail_if("mql_flips > 5%", f, error));
  CHECK(f.metric == "mql_flips");
  CHECK(f.op == ">");
  CHECK(f.value == 5);
  CHECK(f.percent);
  REQUIRE(parse_fail_if("mql_in>10", f, error));
  CHECK(f.metric == "mql_in");
  CHECK(f.value == 10);
  CHECK_FALSE(f.percent);
  REQUIRE(parse_fail_if("  score_mean_change >= 2.5 ", f, error));
  CHECK(f.op == ">=");
  CHECK(f.value == 2.5);
  REQUIRE(parse_fail_if("moved <= 20%", f, error));
  CHECK(f.op == "<=");
  REQUIRE(parse_fail_if("mql_out < 2%", f, error));
  CHECK(f.op == "<");

  CHECK_FALSE(parse_fail_if("flips > 5", f, error));
  CHECK(error.find("unknown metric \"flips\"") != std::string::npos);
  CHECK_FALSE(parse_fail_if("mql_in = 5", f, error));
  CHECK_FALSE(parse_fail_if("mql_in > five", f, error));
  CHECK_FALSE(parse_fail_if("mql_in >", f, error));
  CHECK_FALSE(parse_fail_if("score_mean_change > 3%", f, error));
}

TEST_CASE("quantile: linear interpolation between closest ranks") {
  std::vector<double> v{1, 2, 3, 4, 5};
  CHECK(quantile(v, 0) == 1);
  CHECK(quantile(v, 1) == 5);
  CHECK(quantile(v, 0.5) == 3);
  CHECK(quantile(v, 0.25) == 2);
  CHECK(quantile(v, 0.1) == doctest::Approx(1.4));
  std::vector<double> two{0, 10};
  CHECK(quantile(two, 0.9) == doctest::Approx(9));
  CHECK(quantile({7}, 0.3) == 7);
  CHECK(std::isnan(quantile({}, 0.5)));
}

TEST_CASE("rules specs: a path or git:REF:PATH") {
  RulesSpec s;
  std::string error;
  REQUIRE(parse_rules_spec("rules/acme.rules", s, error));
  CHECK_FALSE(s.git);
  CHECK(s.path == "rules/acme.rules");
  REQUIRE(parse_rules_spec("git:HEAD~1:rules/acme.rules", s, error));
  CHECK(s.git);
  CHECK(s.ref == "HEAD~1");
  CHECK(s.path == "rules/acme.rules");
  CHECK_FALSE(parse_rules_spec("git:HEAD", s, error));
  CHECK_FALSE(parse_rules_spec("git::x.rules", s, error));
  CHECK_FALSE(parse_rules_spec("git:HEAD:", s, error));
}

TEST_CASE("--fail-if: quadrant_moves, and a did-you-mean for a misspelt metric") {
  FailIf f;
  std::string error;
  REQUIRE(parse_fail_if("quadrant_moves > 2%", f, error));
  CHECK(f.metric == "quadrant_moves");
  CHECK(f.percent);
  CHECK_FALSE(parse_fail_if("mql_flip > 5%", f, error));
  CHECK(error.find("unknown metric \"mql_flip\" (did you mean \"mql_flips\"?)") != std::string::npos);
  CHECK_FALSE(parse_fail_if("quadrant_move > 1", f, error));
  CHECK(error.find("did you mean \"quadrant_moves\"?") != std::string::npos);
  CHECK_FALSE(parse_fail_if("zzz > 1", f, error));
  CHECK(error.find("did you mean") == std::string::npos);
}
