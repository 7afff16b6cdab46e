// One notion of "fired" and "capped" everywhere: for every lead of every example ruleset (and of a
// ruleset made to have zero-point rules, capped each-rules and sections held at both limits), the
// reasons column `score --explain` writes, `explain --format json`, and the rule tests' "fired"
// agree item by item.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "io/csv_reader.hpp"
#include "jobs/explain.hpp"
#include "jobs/reasons.hpp"
#include "jobs/rule_tests.hpp"
#include "jobs/score_job.hpp"

using namespace leadscore;
namespace fs = std::filesystem;

namespace {

struct Example {
  std::string rules, leads;
  std::optional<std::string> activities;
  char delimiter = ',';
};

// The reasons column of every lead, as `score --explain` writes it (CSV, spreadsheet-safe off).
std::vector<std::string> scored_reasons(const Example& ex, std::int64_t as_of) {
  jobs::ScoreRequest request;
  request.rules = ex.rules;
  request.leads = ex.leads;
  request.activities = ex.activities;
  request.as_of = as_of;
  request.read.delimiter = ex.delimiter;
  request.explain = true;
  request.csv_safety = io::CsvSafety::Raw;
  request.guards.max_staleness.reset();  // the examples' events end weeks before some as-of instants
  request.out = (fs::temp_directory_path() / ("agreement-" + std::to_string(::getpid()) + ".csv")).string();
  Diagnostics diags;
  jobs::ScoreReport report;
  std::string error;
  REQUIRE_MESSAGE(jobs::run_score(request, diags, report, error), error);
  io::CsvReader reader(',');
  REQUIRE(reader.open(request.out, error));
  io::CsvRecord record;
  REQUIRE(reader.next(record));
  std::vector<std::string> reasons;
  while (reader.next(record)) reasons.emplace_back(record.fields.back());
  fs::remove(request.out);
  return reasons;
}

void check_agreement(const Example& ex, std::int64_t as_of) {
  auto reasons_column = scored_reasons(ex, as_of);
  jobs::RunInputs inputs;
  inputs.rules = ex.rules;
  inputs.leads = ex.leads;
  inputs.activities = ex.activities;
  inputs.as_of = as_of;
  inputs.read.delimiter = ex.delimiter;
  Diagnostics diags;
  jobs::PreparedRun run;
  std::string error;
  REQUIRE_MESSAGE(jobs::prepare_run(inputs, diags, run, error), error);
  REQUIRE(reasons_column.size() == run.leads.rows);
  std::size_t mismatches = 0;
  auto mismatch = [&](const std::string& what) {
    if (++mismatches <= 5) FAIL_CHECK(ex.rules << ": " << what);
  };
  for (std::size_t lead = 0; lead < run.leads.rows; ++lead) {
    auto j = nlohmann::json::parse(jobs::explain_lead(run, lead, true));
    // The reasons explain's record gives, rebuilt from its JSON, in the reasons column's order.
    std::vector<std::pair<double, std::string>> rules;
    std::vector<std::string> multipliers, limits;
    std::set<std::string> fired_labels;
    for (const auto& section : j["sections"]) {
      for (const auto& rule : section["rules"]) {
        if (!rule["fired"].get<bool>()) continue;
        fired_labels.insert(rule["label"].get<std::string>());
        rules.emplace_back(rule["contribution"].get<double>(), rule["label"].get<std::string>());
      }
      for (const auto& m : section["multipliers"])
        if (m["applies"].get<bool>()) {
          fired_labels.insert(m["label"].get<std::string>());
          multipliers.push_back(jobs::reason_text(
              jobs::Reason{jobs::Reason::Kind::Multiplier, m["label"].get<std::string>(), m["factor"].get<double>()}));
        }
      if (!section["limit"].is_null()) {
        bool max = section["limit"] == "max";
        double before = section["before_limits"].get<double>(), value = section["value"].get<double>();
        if (max ? !(before > value) : !(before < value))
          mismatch("section " + section["name"].get<std::string>() + " has a limit but its sum is not beyond it");
        limits.push_back(section["name"].get<std::string>() + (max ? " capped at max " : " raised to min ") +
                         section["value"].dump());
      }
    }
    // Rules largest first (explain's JSON shows contributions rounded, the column orders by the
    // exact ones: items that look equal may come in either order), then multipliers, then limits.
    std::vector<std::string> expected, column;
    for (const auto& [value, label] : rules)
      expected.push_back(jobs::reason_text(jobs::Reason{jobs::Reason::Kind::Rule, label, value}));
    std::sort(expected.begin(), expected.end());
    for (const auto& m : multipliers) expected.push_back(m);
    for (const auto& l : limits) expected.push_back(l);
    std::string text = reasons_column[lead];
    for (std::size_t start = 0; start < text.size();) {
      std::size_t end = text.find("; ", start);
      if (end == std::string::npos) end = text.size();
      column.push_back(text.substr(start, end - start));
      start = end + 2;
    }
    if (column.size() >= rules.size()) {
      for (std::size_t i = 1; i < rules.size(); ++i)
        if (std::stod(column[i]) > std::stod(column[i - 1]))
          mismatch("lead " + std::string(run.leads.ids[lead]) + ": reasons not largest first: " + text);
      std::sort(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(rules.size()));
    }
    if (expected != column)
      mismatch("lead " + std::string(run.leads.ids[lead]) + ": reasons column \"" + text + "\" and explain disagree");

    // The rule tests' "fired" for every label.
    for (const auto& section : j["sections"]) {
      for (const auto& rule : section["rules"]) {
        std::string label = rule["label"].get<std::string>();
        if (jobs::label_fired(run, lead, label) != (fired_labels.count(label) > 0))
          mismatch("lead " + std::string(run.leads.ids[lead]) + ": rule tests and explain disagree on " + label);
      }
    }
  }
  CHECK(mismatches == 0);
}

constexpr std::int64_t kAsOf = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z

Example example(const std::string& name, char delimiter = ',') {
  const fs::path root = LEADSCORE_SOURCE_DIR;
  Example ex;
  ex.rules = (root / "rules/examples" / (name + ".rules")).string();
  ex.leads = (root / "rules/examples/data" / name / "leads.csv").string();
  if (fs::exists(root / "rules/examples/data" / name / "activities.csv"))
    ex.activities = (root / "rules/examples/data" / name / "activities.csv").string();
  ex.delimiter = delimiter;
  return ex;
}

}  // namespace

TEST_CASE("outcome agreement: b2b-saas") { check_agreement(example("b2b-saas"), kAsOf); }
TEST_CASE("outcome agreement: product-led") { check_agreement(example("product-led"), kAsOf); }
TEST_CASE("outcome agreement: enterprise") { check_agreement(example("enterprise"), kAsOf); }

TEST_CASE("outcome agreement: zero-point rules, capped each-rules and sections at both limits") {
  const fs::path dir = fs::temp_directory_path() / ("agreement-edges-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "edges.rules") << R"(ruleset "edges" version 1
schema lead { id: id  a: number  b: number }
schema activity { id: id  at: timestamp  kind: string }
score fit max 20 min -10 {
  rule "A"     when a >= 10          points 20
  rule "Zero"  when b >= 1           points 0
  rule "B"     when b >= 2           points 5
  rule "Neg"   when a < 0            points -40
  rule "Each"  each activity where kind == "visit" points 4 max 8
  multiply "Boost" when b >= 3       by 1.5
}
score other { rule "Nothing" when a >= 1000 points 1 }
)";
  std::ofstream(dir / "leads.csv") << "id,a,b\nL1,10,0\nL2,10,1\nL3,10,2\nL4,-5,0\nL5,-50,3\nL6,,\nL7,5,3\nL8,0,1\nL9,10,0\n";
  std::ofstream(dir / "activities.csv") << "id,at,kind\nL1,2026-10-01T00:00:00Z,visit\nL2,2026-10-01T00:00:00Z,visit\n"
                                           "L2,2026-10-02T00:00:00Z,visit\nL2,2026-10-03T00:00:00Z,visit\n"
                                           "L7,2026-10-03T00:00:00Z,visit\nL7,2026-10-04T00:00:00Z,visit\n";
  Example ex{(dir / "edges.rules").string(), (dir / "leads.csv").string(), (dir / "activities.csv").string(), ','};
  check_agreement(ex, kAsOf);
  fs::remove_all(dir);
}
