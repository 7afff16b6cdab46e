// The report reads as a person writes: round axis ticks, `score - 1.27`, results before warnings,
// warnings grouped by kind.
#include <doctest/doctest.h>

#include <string>

#include "calibrate/report_html.hpp"

using namespace leadscore::calibrate;

TEST_CASE("report: axis ticks are 1, 2, 2.5 or 5 times a power of ten") {
  CHECK(round_tick_step(100, 4) == 25);
  CHECK(round_tick_step(0.58, 4) == doctest::Approx(0.2));
  CHECK(round_tick_step(37, 5) == 10);
  CHECK(round_tick_step(9, 4) == doctest::Approx(2.5));
  CHECK(round_tick_step(0, 4) == 1);
}

TEST_CASE("report: the Platt formula subtracts a negative offset") {
  CHECK(platt_formula(0.052, -1.27) == "1 / (1 + exp(-(0.052 x score - 1.27)))");
  CHECK(platt_formula(0.052, 1.27) == "1 / (1 + exp(-(0.052 x score + 1.27)))");
}

TEST_CASE("report: warnings come after the results, one heading per kind in a fixed order") {
  Weights w;
  w.warnings = {{"evidence", "rule \"A\" is weak"}, {"drift", "the close rate moved"}, {"evidence", "rule \"B\" is weak"}};
  const std::string h = report_html(w, "w.yaml");
  const auto evidence_table = h.find("<h2>Rule evidence</h2>");
  const auto warnings = h.find("<h2>Warnings</h2>");
  REQUIRE(evidence_table != std::string::npos);
  REQUIRE(warnings != std::string::npos);
  CHECK(evidence_table < warnings);
  CHECK(h.find("3 warnings, listed after the results.") != std::string::npos);
  const auto drift = h.find("<h3 class=\"warn-kind\">drift</h3>");
  const auto weak = h.find("<h3 class=\"warn-kind\">evidence</h3>");
  REQUIRE(drift != std::string::npos);
  REQUIRE(weak != std::string::npos);
  CHECK(warnings < drift);
  CHECK(drift < weak);
  CHECK(h.find("rule &quot;A&quot; is weak</div>\n<div class=\"warn\">rule &quot;B&quot; is weak") != std::string::npos);
}
