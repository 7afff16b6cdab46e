// Rule-test coverage from outcome records: covered = true in some case; a classify branch after the
// chosen one is not evaluated; the report's lines and percentages.
#include <doctest/doctest.h>

#include "jobs/test_coverage.hpp"

using namespace leadscore;
using namespace leadscore::engine;
using namespace leadscore::jobs;

namespace {

RulesCoverage two_rules_and_a_classify() {
  RulesCoverage c{"r.rules", nullptr, {}};
  c.items.push_back({"rule", "A", SourcePos{3, 8, 0}, 0, 0, 0, -1});
  c.items.push_back({"rule", "B", SourcePos{4, 8, 0}, 0, 0, 1, -1});
  c.items.push_back({"criterion", "g: C", SourcePos{6, 3, 0}, 0, 0, 0, -1});
  for (int b = 0; b < 3; ++b)
    c.items.push_back({"branch", std::string("t: ") + char('x' + b), SourcePos{static_cast<std::uint32_t>(8 + b), 3, 0}, 0, 0, b, 0});
  return c;
}

LeadRecord record(bool a, bool b, std::int8_t criterion, std::int32_t branch) {
  LeadRecord r;
  r.rules.resize(2);
  r.rules[0].fired = a;
  r.rules[1].fired = b;
  r.criteria = {criterion};
  r.classify_branch = {branch};
  return r;
}

}  // namespace

TEST_CASE("coverage: true and false cases per item") {
  auto c = two_rules_and_a_classify();
  add_case(c, record(true, false, kTrue, 0));
  add_case(c, record(false, false, kUnknown, 1));
  CHECK(c.items[0].true_cases == 1);
  CHECK(c.items[0].false_cases == 1);
  CHECK_FALSE(c.items[1].covered());
  CHECK(c.items[1].false_cases == 2);
  CHECK(c.items[2].true_cases == 1);  // unknown is not true
  CHECK(c.items[2].false_cases == 1);
  CHECK(c.items[3].true_cases == 1);   // x chosen, then false before y
  CHECK(c.items[3].false_cases == 1);
  CHECK(c.items[4].true_cases == 1);   // y chosen; not evaluated when x was
  CHECK(c.items[4].false_cases == 0);
  CHECK(c.items[5].true_cases == 0);   // z never evaluated
  CHECK(c.items[5].false_cases == 0);
  add_case(c, record(false, false, kFalse, -1));  // no branch: every branch was false
  CHECK(c.items[5].false_cases == 1);
  CHECK(c.covered() == 4);
}

TEST_CASE("coverage: the report") {
  auto c = two_rules_and_a_classify();
  add_case(c, record(true, false, kTrue, 0));
  CHECK(coverage_percent(0, 0) == 100);
  CHECK(coverage_percent(1, 4) == 25);
  const std::string text = coverage_text({c});
  CHECK(text.find("  r.rules: 3 of 6 covered (50%)\n") != std::string::npos);
  CHECK(text.find("    r.rules:4:8: rule \"B\" is true in no case\n") != std::string::npos);
  CHECK(text.find("    r.rules:3:8: rule \"A\" is false in no case\n") != std::string::npos);
  CHECK(text.find("coverage: 3 of 6 items (50%)\n") != std::string::npos);
  CHECK(coverage_json({c}).find("\"covered\":3,\"total\":6,\"percent\":50") != std::string::npos);
  CHECK(coverage_annotations({c}).find("::warning file=r.rules,line=4,col=8::rule \"B\" is true in no test case\n") != std::string::npos);
}

TEST_CASE("coverage: an untested warning for each item never true or never false (SARIF results)") {
  auto c = two_rules_and_a_classify();
  add_case(c, record(true, false, kTrue, 0));
  add_case(c, record(false, false, kFalse, 1));
  Diagnostics out;
  coverage_diagnostics({c}, out);
  const auto found = out.sorted();
  // Covered both ways: A (true, false), C (true, false), branch x (true, false). B never true,
  // y never false, z never true.
  REQUIRE(found.size() == 3);
  CHECK(found[0].message == "rule \"B\" is true in no test case");
  CHECK(found[0].pos.line == 4);
  CHECK(found[0].code == Code::Untested);
  CHECK(found[0].severity == Severity::Warning);
  CHECK(found[1].message == "branch \"t: y\" is false in no test case");
  CHECK(found[1].hint == "add a case in which it is false");
  CHECK(found[2].message == "branch \"t: z\" is true in no test case");
}
