// The YAML case parser and relative times of `leadscore test`.
#include <doctest/doctest.h>

#include <memory>

#include "engine/check/checker.hpp"
#include "jobs/rule_tests.hpp"
#include "io/value_parse.hpp"

using namespace leadscore;
using namespace leadscore::jobs;

namespace {

constexpr std::int64_t kDay = io::kMicrosPerDay;
constexpr std::int64_t kHour = 3600 * io::kMicrosPerSecond;

const ir::Program& b2b() {
  static const ir::Program program = [] {
    Diagnostics diags;
    auto p = load_rules(std::string(LEADSCORE_SOURCE_DIR) + "/rules/examples/b2b-saas.rules", diags);
    REQUIRE(p.has_value());
    return *p;
  }();
  return program;
}

bool parse(const std::string& yaml, TestFile& out, Diagnostics& diags) {
  auto file = std::make_shared<const SourceFile>("t.test.yaml", yaml);
  return parse_test_file(file, b2b(), diags, out);
}

std::size_t lead_field(const std::string& name) {
  const auto& fields = b2b().lead_fields;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return i;
  FAIL("no field " << name);
  return 0;
}

}  // namespace

TEST_CASE("relative times: sign, units and compound offsets") {
  CHECK(parse_relative_time("-3d") == -3 * kDay);
  CHECK(parse_relative_time("-4h") == -4 * kHour);
  CHECK(parse_relative_time("-2w") == -14 * kDay);
  CHECK(parse_relative_time("+1h") == kHour);
  CHECK(parse_relative_time("-30d1s") == -(30 * kDay + io::kMicrosPerSecond));
  CHECK(parse_relative_time("-90m") == -90 * 60 * io::kMicrosPerSecond);
  // At most 100 years, as durations in rules; beyond, nullopt with the flag set (no overflow).
  bool beyond = false;
  CHECK(parse_relative_time("-36525d", &beyond) == -36525 * kDay);
  CHECK_FALSE(beyond);
  CHECK_FALSE(parse_relative_time("-36526d", &beyond));
  CHECK(beyond);
  beyond = false;
  CHECK_FALSE(parse_relative_time("+999999999w", &beyond));  // 6e20 microseconds: overflowed int64
  CHECK(beyond);
  beyond = false;
  CHECK_FALSE(parse_relative_time("-36000d36000d", &beyond));
  CHECK(beyond);
  // Any number of digits: 10 and more were read as no offset at all, not as one beyond the limit.
  beyond = false;
  CHECK(parse_relative_time("-1000000000s", &beyond) == -1000000000 * io::kMicrosPerSecond);  // 31.7 years
  CHECK(parse_relative_time("-00000000000000000001d", &beyond) == -kDay);
  CHECK_FALSE(beyond);
  CHECK_FALSE(parse_relative_time("-4000000000d", &beyond));
  CHECK(beyond);
  beyond = false;
  CHECK_FALSE(parse_relative_time("+123456789012345678901234567890s", &beyond));
  CHECK(beyond);
  CHECK(parse_relative_time("0d") == 0);
  CHECK(parse_relative_time(" -1d ") == -kDay);
  CHECK_FALSE(parse_relative_time("3d").has_value());  // a non-zero offset needs its sign
  CHECK_FALSE(parse_relative_time("-3").has_value());
  CHECK_FALSE(parse_relative_time("-d").has_value());
  CHECK_FALSE(parse_relative_time("-3y").has_value());
  CHECK_FALSE(parse_relative_time("-3d-").has_value());
  CHECK_FALSE(parse_relative_time("2026-10-01").has_value());
  CHECK_FALSE(parse_relative_time("").has_value());
}

TEST_CASE("case parser: values, defaults, relative times and expectations") {
  TestFile tests;
  Diagnostics diags;
  REQUIRE(parse(R"(as_of: 2026-11-01T00:00:00Z
cases:
  - name: one
    lead: {lead_id: L1, employees: 1500, created_at: -10d, is_agency: ~}
    events:
      - {type: demo_request, occurred_at: -3d}
      - {type: page_view, occurred_at: 2026-10-01T10:00:00Z, lead_id: other}
    expect:
      fit: 84.504
      cpal: yes
      quadrant: hot
      fired: [Demo request (30d)]
  - name: two
    as_of: 2026-06-01
    expect: {score: -10, mql: false}
)",
                tests, diags));
  CHECK_FALSE(diags.has_errors());
  REQUIRE(tests.cases.size() == 2);
  const auto& one = tests.cases[0];
  CHECK(one.valid);
  CHECK(one.name == "one");
  CHECK(one.pos.line == 3);
  CHECK(one.lead[lead_field("employees")] == "1500");
  CHECK(one.lead[lead_field("created_at")] == "2026-10-22");
  CHECK(one.lead[lead_field("is_agency")].empty());
  CHECK(one.lead[lead_field("email")].empty());
  REQUIRE(one.events.size() == 2);
  CHECK(one.events[0][1] == "demo_request");
  CHECK(one.events[0][2] == "2026-10-29T00:00:00Z");
  CHECK(one.events[0][0] == "L1");     // the event's lead defaults to the case's lead
  CHECK(one.events[1][0] == "other");
  REQUIRE(one.expectations.size() == 4);
  CHECK(one.expectations[0].kind == Expectation::Kind::Section);
  CHECK(one.expectations[0].expected == "84.5");  // compared after the output's rounding
  CHECK(one.expectations[0].pos.line == 9);
  CHECK(one.expectations[0].pos.column == 7);
  CHECK(one.expectations[0].column == 1);
  CHECK(one.expectations[1].kind == Expectation::Kind::Gate);
  CHECK(one.expectations[1].expected == "true");
  CHECK(one.expectations[2].kind == Expectation::Kind::Classify);
  CHECK(one.expectations[3].kind == Expectation::Kind::Fired);
  REQUIRE(one.expectations[3].labels.size() == 1);
  CHECK(one.expectations[3].labels[0].second.line == 12);
  const auto& two = tests.cases[1];
  CHECK(two.lead[lead_field("lead_id")] == "test-lead");  // a default id
  CHECK(two.as_of == io::parse_timestamp("2026-06-01").value);
  CHECK(two.expectations[0].kind == Expectation::Kind::Score);
  CHECK(two.expectations[1].kind == Expectation::Kind::Mql);
  CHECK(two.expectations[1].expected == "false");
}

TEST_CASE("case parser: a list of cases at the top level needs as_of in each case") {
  TestFile tests;
  Diagnostics diags;
  REQUIRE(parse("- name: a\n  expect: {fit: 0}\n", tests, diags));
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].message.find("no `as_of`") != std::string::npos);
  CHECK_FALSE(tests.cases[0].valid);
}

TEST_CASE("case parser: unknown names are errors at their position with did-you-mean") {
  TestFile tests;
  Diagnostics diags;
  REQUIRE(parse(R"(as_of: 2026-11-01
cases:
  - name: typos
    lead: {emial: x}
    expect:
      fitt: 1
      fired: [Junior titel]
      mql: maybe
)",
                tests, diags));
  auto items = diags.sorted();
  REQUIRE(items.size() == 4);
  CHECK(items[0].pos.line == 4);
  CHECK(items[0].pos.column == 12);
  CHECK(items[0].message == "unknown lead field \"emial\" (did you mean \"email\"?)");
  CHECK(items[1].message.find("unknown expectation \"fitt\" (did you mean \"fit\"?)") == 0);
  CHECK(items[2].message == "no rule, multiplier or gate criterion is labeled \"Junior titel\" (did you mean \"Junior title\"?)");
  CHECK(items[3].message == "mql expects true or false, not \"maybe\"");
  CHECK_FALSE(tests.cases[0].valid);
}

TEST_CASE("case parser: malformed YAML is one error at the parser's line and column") {
  TestFile tests;
  Diagnostics diags;
  CHECK_FALSE(parse("as_of: 2026-11-01\ncases:\n  - name: x\n    lead: {a: [1}\n", tests, diags));
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].pos.line == 4);
  CHECK(diags.items()[0].message.rfind("malformed YAML: ", 0) == 0);
}

TEST_CASE("case parser: a list or a map used as a key is an error at its position, not a crash") {
  // Found by the rule_tests fuzzer: the key's conversion to text threw, and `leadscore test` aborted.
  TestFile tests;
  Diagnostics diags;
  REQUIRE(parse(R"(as_of: 2026-11-01
cases:
  - name: complex keys
    lead: {[a, b]: x, country: US}
    expect: {fit: 0, {a: 1}: 2}
  - {name: ok, expect: {fit: 0}, ? [c] : 1}
)",
                tests, diags));
  auto items = diags.sorted();
  REQUIRE(items.size() == 3);
  CHECK(items[0].pos.line == 4);
  CHECK(items[0].pos.column == 12);
  CHECK(items[0].message == "a key must be a single value, not a list or a map");
  CHECK(items[1].pos.line == 5);
  CHECK(items[2].pos.line == 6);
  REQUIRE(tests.cases.size() == 2);
  CHECK_FALSE(tests.cases[0].valid);
  CHECK(tests.cases[0].lead[lead_field("country")] == "US");
  CHECK_FALSE(tests.cases[1].valid);
  Diagnostics top;
  CHECK_FALSE(parse("{[x]: 1, as_of: 2026-11-01}\n", tests, top));
  REQUIRE(top.items().size() == 1);
  CHECK(top.items()[0].message == "a key must be a single value, not a list or a map");
}

TEST_CASE("case parser: a key repeated in a map is an error at its second occurrence") {
  // yaml-cpp keeps both keys: `employees` silently took the last value and `fit` was checked twice.
  TestFile tests;
  Diagnostics diags;
  REQUIRE(parse(R"(as_of: 2026-11-01
cases:
  - name: repeated
    lead: {employees: 5, employees: 0}
    events:
      - {type: demo_request, occurred_at: -1d, type: page_view}
    expect: {fit: 1, fit: 0}
  - name: fine
    name: twice
    expect: {fit: 0}
  - name: unique
    expect: {fit: 0}
)",
                tests, diags));
  auto items = diags.sorted();
  REQUIRE(items.size() == 4);
  CHECK(items[0].pos.line == 4);
  CHECK(items[0].pos.column == 26);
  CHECK(items[0].message == "duplicate key \"employees\": it is already given in this map");
  CHECK(items[1].pos.line == 6);
  CHECK(items[1].pos.column == 48);
  CHECK(items[1].message == "duplicate key \"type\": it is already given in this map");
  CHECK(items[2].pos.line == 7);
  CHECK(items[2].pos.column == 22);
  CHECK(items[2].message == "duplicate key \"fit\": it is already given in this map");
  CHECK(items[3].pos.line == 9);
  CHECK(items[3].pos.column == 5);
  CHECK(items[3].message == "duplicate key \"name\": it is already given in this map");
  REQUIRE(tests.cases.size() == 3);
  CHECK_FALSE(tests.cases[0].valid);
  CHECK_FALSE(tests.cases[1].valid);
  CHECK(tests.cases[2].valid);

  Diagnostics top;
  TestFile none;
  CHECK_FALSE(parse("as_of: 2026-11-01\ncases: []\nas_of: 2026-12-01\n", none, top));
  REQUIRE(top.items().size() == 1);
  CHECK(top.items()[0].pos.line == 3);
  CHECK(top.items()[0].message == "duplicate key \"as_of\": it is already given in this map");
}

TEST_CASE("case parser: a case that is not a map is named by its line, like a case without a name") {
  // Found by the rule_tests fuzzer: it had an empty name, so `test` printed "FAIL t.test.yaml: (the case ...".
  TestFile tests;
  Diagnostics diags;
  REQUIRE(parse("as_of: 2026-11-01\ncases:\n  - just text\n  - [a, list]\n", tests, diags));
  REQUIRE(tests.cases.size() == 2);
  CHECK(tests.cases[0].name == "(case on line 3)");
  CHECK(tests.cases[1].name == "(case on line 4)");
  CHECK_FALSE(tests.cases[0].valid);
  REQUIRE(diags.items().size() == 2);
  CHECK(diags.items()[0].message == "a case is a map with name, lead, events and expect");
}

TEST_CASE("a case runs through the scoring path and compares the rounded output") {
  TestFile tests;
  Diagnostics diags;
  REQUIRE(parse(R"(as_of: 2026-11-01T00:00:00Z
cases:
  - name: web visits decay
    lead: {lead_id: W1}
    events:
      - {type: page_view, occurred_at: -2d}
    expect: {interest: 0.91, quadrant: drop, fired: [Web visits], not_fired: [Gone quiet (60d)]}
  - name: wrong
    lead: {lead_id: W2}
    expect: {interest: 0, fired: [Gone quiet (60d), Demo request (30d)]}
)",
                tests, diags));
  std::string rules = std::string(LEADSCORE_SOURCE_DIR) + "/rules/examples/b2b-saas.rules";
  auto ok = run_test_case(rules, tests.cases[0]);
  CHECK(ok.passed());
  auto bad = run_test_case(rules, tests.cases[1]);
  REQUIRE(bad.failures.size() == 2);
  CHECK(bad.failures[0].message == "interest: expected 0, got -10");
  CHECK(bad.failures[0].pos.line == 10);
  CHECK(bad.failures[1].message == "fired: expected \"Demo request (30d)\" to fire, but it did not");
  CHECK(bad.explanation.find("Gone quiet (60d)") != std::string::npos);
}
