// The suggestions summary: what `suggest --summary-out` writes reads back the same, and the report's
// section shows each rule with its evidence and the test AUC before and after, escaped.
#include <doctest/doctest.h>

#include <string>

#include "calibrate/suggestion_summary.hpp"
#include "tests/unit/support/scratch_dir.hpp"

using namespace leadscore;
using leadscore::testing::ScratchDir;

TEST_CASE("suggestions summary: written JSON reads back, and the report section shows it") {
  calibrate::SuggestionSummary s;
  s.ruleset = "rules/a&b.rules";
  s.fit = 630;
  s.validation = 210;
  s.test = 360;
  s.base_rate = 0.25;
  s.validation_before = 0.55;
  s.validation_after = 0.75;
  s.test_before = 0.5338;
  s.test_after = 0.7503;
  calibrate::SuggestedRule r;
  r.label = "plan in [Pro]";
  r.condition = "plan in [\"Pro\"]";
  r.points = 40;
  r.evidence.matched = 120;
  r.evidence.won = 60;
  r.evidence.close_rate = 0.5;
  r.evidence.wilson = {0.41, 0.59};
  r.evidence.lift = 2;
  r.validation_gain = 0.2;
  s.rules.push_back(r);

  ScratchDir dir;
  const std::string path = dir.write("suggest.json", calibrate::suggestion_summary_json(s));
  calibrate::SuggestionSummary back;
  std::string error;
  REQUIRE_MESSAGE(calibrate::read_suggestion_summary(path, back, error), error);
  CHECK(back.ruleset == s.ruleset);
  CHECK(back.fit == 630);
  CHECK(back.validation == 210);
  CHECK(back.test == 360);
  CHECK(back.test_after == doctest::Approx(0.7503));
  REQUIRE(back.rules.size() == 1);
  CHECK(back.rules[0].condition == r.condition);
  CHECK(back.rules[0].points == 40);
  CHECK(back.rules[0].evidence.won == 60);
  CHECK(back.rules[0].evidence.wilson.high == doctest::Approx(0.59));
  CHECK(back.rules[0].validation_gain == doctest::Approx(0.2));

  const std::string html = calibrate::suggestions_html(back);
  CHECK(html.find("<h2>Suggested rules</h2>") != std::string::npos);
  CHECK(html.find("<code>rules/a&amp;b.rules</code>") != std::string::npos);
  CHECK(html.find("<b>0.5338</b> with the rules as they are, <b>0.7503</b> with these added") != std::string::npos);
  CHECK(html.find("<td class=\"l\"><code>plan in [&quot;Pro&quot;]</code></td><td>40</td><td>120</td><td>60</td>"
                  "<td>50.0%</td><td>41.0% to 59.0%</td><td>2.00</td><td>+0.2000</td>") != std::string::npos);

  const std::string other = dir.write("other.json", "{\"format\": \"something else\"}");
  CHECK_FALSE(calibrate::read_suggestion_summary(other, back, error));
  CHECK(error == other + " is not a summary written by `leadscore suggest --summary-out`");
  const std::string broken = dir.write("broken.json", "{\"format\": \"leadscore suggestions 1\"}");
  CHECK_FALSE(calibrate::read_suggestion_summary(broken, back, error));
  CHECK(error.rfind(broken + ": not a readable suggestions summary", 0) == 0);
}
