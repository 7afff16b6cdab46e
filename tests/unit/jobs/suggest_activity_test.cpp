// `suggest` with activities: on generated leads whose closes are driven by demo requests in the 30
// days before their cutoff, the demo count rule is suggested; events after a lead's cutoff (a
// contract signed after the sale) are never seen.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "engine/lint/lint.hpp"
#include "jobs/suggest.hpp"
#include "tests/unit/support/scratch_dir.hpp"

using namespace leadscore;
using leadscore::testing::ScratchDir;

namespace {

const char* kActivityRules =
    "ruleset \"acts\" version 1\n"
    "\n"
    "schema lead {\n"
    "  lead_id:    id\n"
    "  created_at: date\n"
    "  region:     string\n"
    "}\n"
    "\n"
    "schema activity {\n"
    "  lead_id:     id\n"
    "  occurred_at: timestamp\n"
    "  type:        string\n"
    "}\n"
    "\n"
    "score fit {\n"
    "  rule \"EU\"  when region == \"EU\"  points 5\n"
    "}\n";

std::string day_text(int day) {  // days after 2025-01-01
  using namespace std::chrono;
  const year_month_day d{sys_days{year{2025} / January / 1} + days{day}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

// A fixed linear congruential generator: draw(n) is 0 .. n-1.
struct Draw {
  std::uint32_t state;
  int operator()(int n) {
    state = state * 1664525u + 1013904223u;
    return static_cast<int>((state >> 8) % static_cast<std::uint32_t>(n));
  }
};

struct Generated {
  std::string leads, events;
};

// 1200 leads, four created a day; cutoff = created_at + 30d. Each has 0..3 demo requests in the 30 days
// before its cutoff (2 or more: 45% close, else 5%), 0..2 older demos (50 and 60 days before the
// cutoff: no effect), 0..3 page views (noise), and a won lead a "contract" event 10 days after its cutoff.
Generated generate() {
  Generated g;
  g.leads = "lead_id,created_at,region,outcome\n";
  g.events = "lead_id,occurred_at,type\n";
  Draw draw{2024};
  for (int i = 0; i < 1200; ++i) {
    const int created = 100 + i / 4;
    const int demos = draw(4), old_demos = draw(3), views = draw(4);
    const bool won = draw(100) < (demos >= 2 ? 45 : 5);
    g.leads += fmt::format("L{},{},{},{}\n", i, day_text(created), draw(2) ? "EU" : "US", won ? "won" : "lost");
    auto event = [&](int day, const char* type) {
      g.events += fmt::format("L{},{}T10:00:00Z,{}\n", i, day_text(day), type);
    };
    for (int j = 0; j < demos; ++j) event(created + 1 + 7 * j, "demo");
    for (int j = 0; j < old_demos; ++j) event(created - 20 - 10 * j, "demo");
    for (int j = 0; j < views; ++j) event(created + 2 + 5 * j, "page_view");
    if (won) event(created + 40, "contract");
  }
  return g;
}

}  // namespace

TEST_CASE("suggest finds the activity count that drives closes, as of each lead's cutoff") {
  ScratchDir dir;
  const auto data = generate();
  jobs::SuggestRequest req;
  req.calibrate.inputs.rules = dir.write("acts.rules", kActivityRules);
  req.calibrate.inputs.leads = dir.write("leads.csv", data.leads);
  req.calibrate.inputs.activities = dir.write("events.csv", data.events);
  req.calibrate.outcomes.leads_column = "outcome";
  req.calibrate.cutoff_field = "created_at";
  req.calibrate.cutoff_delay = 30 * 86'400'000'000LL;
  Diagnostics diags;
  jobs::SuggestResult result;
  std::string error;
  REQUIRE_MESSAGE(jobs::run_suggest(req, diags, result, error), error);
  CHECK(result.activity_types == 3);  // demo, page_view, contract
  REQUIRE_FALSE(result.suggestions.empty());
  CHECK(result.suggestions[0].condition == "count(activity where type == \"demo\" within 30d) >= 2");
  CHECK(result.suggestions[0].points > 0);
  CHECK(result.auc_after > result.auc_before + 0.1);
  for (const auto& s : result.suggestions) CHECK(s.condition.find("contract") == std::string::npos);
  CHECK(result.text.find("suggest_activity_probe") == std::string::npos);
  CHECK(result.text.find("rule \"count(activity where type == demo within 30d) >= 2\"") != std::string::npos);

  // The output compiles and lints clean.
  std::string out = dir.write("suggested.rules", result.text);
  Diagnostics lint_diags;
  CHECK(load_and_lint_rules(out, lint_diags).has_value());
  CHECK(lint_diags.items().empty());

  // An activity type field the schema does not have is an error; a named field works like `type`.
  req.activity_type_field = "kind";
  jobs::SuggestResult none;
  CHECK_FALSE(jobs::run_suggest(req, diags, none, error));
  CHECK(error == "--activity-type-field kind: the activity schema has no string field of that name");
  req.activity_type_field = "type";
  jobs::SuggestResult named;
  error.clear();
  REQUIRE_MESSAGE(jobs::run_suggest(req, diags, named, error), error);
  CHECK(named.text == result.text);
}

TEST_CASE("suggest sums an activity number field per type: seats invited in the 30 days before the cutoff") {
  // 1200 leads, four created a day; cutoff = created_at + 30d. Each has one or two "invite" events in
  // the 30 days before its cutoff carrying 1..8 seats each: 10 seats or more in total close 50%, fewer
  // 5%. A "refund" event's amount after the cutoff (of a won lead) is never seen, and `discount`,
  // marked as leaking, is never summed.
  const char* rules =
      "ruleset \"seats\" version 1\n"
      "\n"
      "schema lead {\n"
      "  lead_id:    id\n"
      "  created_at: date\n"
      "}\n"
      "\n"
      "schema activity {\n"
      "  lead_id:     id\n"
      "  occurred_at: timestamp\n"
      "  type:        string\n"
      "  seats:       int\n"
      "  discount:    number  # leaks: set when the deal is signed\n"
      "}\n"
      "\n"
      "score fit {\n"
      "  rule \"Any invite\"  when exists(activity where type == \"invite\")  points 5\n"
      "}\n";
  std::string leads = "lead_id,created_at,outcome\n", events = "lead_id,occurred_at,type,seats,discount\n";
  Draw draw{99};
  for (int i = 0; i < 1200; ++i) {
    const int created = 100 + i / 4;
    const int invites = 1 + draw(2);
    int seats = 0;
    for (int j = 0; j < invites; ++j) {
      const int n = 1 + draw(8);
      seats += n;
      events += fmt::format("L{},{}T10:00:00Z,invite,{},\n", i, day_text(created + 1 + 5 * j), n);
    }
    const bool won = draw(100) < (seats >= 10 ? 50 : 5);
    leads += fmt::format("L{},{},{}\n", i, day_text(created), won ? "won" : "lost");
    if (won) events += fmt::format("L{},{}T10:00:00Z,refund,40,0.3\n", i, day_text(created + 45));
  }
  ScratchDir dir;
  jobs::SuggestRequest req;
  req.calibrate.inputs.rules = dir.write("seats.rules", rules);
  req.calibrate.inputs.leads = dir.write("leads.csv", leads);
  req.calibrate.inputs.activities = dir.write("events.csv", events);
  req.calibrate.outcomes.leads_column = "outcome";
  req.calibrate.cutoff_field = "created_at";
  req.calibrate.cutoff_delay = 30 * 86'400'000'000LL;
  req.two_conditions = false;
  Diagnostics diags;
  jobs::SuggestResult result;
  std::string error;
  REQUIRE_MESSAGE(jobs::run_suggest(req, diags, result, error), error);
  REQUIRE_FALSE(result.suggestions.empty());
  CHECK(result.suggestions[0].condition.rfind("sum(activity.seats where type == \"invite\" within ", 0) == 0);
  // Every invite falls in both windows; the cut lands on a quantile of the sums next to 10.
  const std::string& condition = result.suggestions[0].condition;
  CAPTURE(condition);
  const auto at = condition.find(") >= ");
  REQUIRE(at != std::string::npos);
  const int cut = std::stoi(condition.substr(at + 5));
  CHECK(cut >= 8);
  CHECK(cut <= 11);
  CHECK(result.auc_after > result.auc_before + 0.1);
  for (const auto& s : result.suggestions) {
    CHECK(s.condition.find("refund") == std::string::npos);
    CHECK(s.condition.find("discount") == std::string::npos);
  }
  Diagnostics lint_diags;
  CHECK(load_and_lint_rules(dir.write("suggested.rules", result.text), lint_diags).has_value());
  CHECK(lint_diags.items().empty());
}
