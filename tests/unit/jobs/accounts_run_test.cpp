// Accounts end to end on small files: the grouping, each aggregate over an account's leads (with
// missing values and leads of no account), account fields from the accounts file, lead rules that read
// their account, explain --account against --accounts-out, and rule tests with several leads.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "jobs/account_results.hpp"
#include "jobs/batches.hpp"
#include "jobs/explain.hpp"
#include "jobs/rule_tests.hpp"
#include "tests/unit/support/scratch_dir.hpp"

using namespace leadscore;
using leadscore::testing::ScratchDir;

namespace {

const char* kRules = R"(ruleset "accounts" version 1
schema lead {
  lead_id: id
  email: string
  account_id: string
  department: string
  seats: number
  signed_up: date
}
schema activity {
  lead_id: id
  type: string
  occurred_at: timestamp
}
schema account {
  account_id: id
  country: string
  revenue: number
}
list free = ["example.org"]
account key account_id except free

score interest {
  rule "Demo" when exists(activity where type == "demo") points 40
  rule "Visit" each activity where type == "visit" points 5 max 20
}
account score engagement {
  rule "n"        when count(leads) >= 0 points 0
  rule "each"     each lead where interest > 0 points 3 max 7
}
account score fit { rule "US" when country == "US" points 10 }
mqa when engagement >= 6 and fit >= 10
mql when interest >= 40 or (account.mqa and interest > 0)
)";

// Aggregates are declared in this order; their indexes in run.accounts.values follow it.
const char* kAggregates = R"(
account score probe {
  rule "a0" when count(leads where seats > 0) >= 0 points 0
  rule "a1" when exists(leads where department == "IT") points 0
  rule "a2" when distinct(department of leads) >= 0 points 0
  rule "a3" when max(seats of leads) >= 0 points 0
  rule "a4" when min(seats of leads) >= 0 points 0
  rule "a5" when sum(seats of leads) >= 0 points 0
  rule "a6" when avg(seats of leads) >= 0 points 0
  rule "a7" when top(2, seats of leads) >= 0 points 0
  rule "a8" when max(signed_up of leads) is present points 0
}
)";

const char* kLeads =
    "lead_id,email,account_id,department,seats,signed_up\n"
    "L1,a@acme.com,A1,IT,10,2026-01-01\n"
    "L2,b@acme.com,A1, it ,,2026-03-01\n"     // same department after trimming and case; no seats
    "L3,c@acme.com,A1,Finance,30,\n"
    "L4,d@beta.com,A2,,5,2026-02-01\n"
    "L5,e@x.com,,Sales,7,2026-02-01\n"          // no account: its own group
    "L6,f@x.com,example.org,Sales,9,\n"         // an excepted key: its own group
    "L7,g@zeta.com,A9,IT,1,\n";                 // not in the accounts file
const char* kActivities =
    "lead_id,type,occurred_at\n"
    "L1,demo,2026-10-30T00:00:00Z\n"
    "L2,visit,2026-10-30T00:00:00Z\n"
    "L3,visit,2026-10-30T00:00:00Z\n"
    "L4,visit,2026-10-30T00:00:00Z\n";
const char* kAccounts =
    "account_id,country,revenue\n"
    "A1,US,100\n"
    "A2,DE,5\n"
    "A1,GB,1\n";  // a duplicate: the first row wins

jobs::PreparedRun prepare(const ScratchDir& dir, const std::string& rules_text) {
  jobs::RunInputs inputs;
  inputs.rules = dir.write("r.rules", rules_text);
  inputs.leads = dir.write("leads.csv", kLeads);
  inputs.activities = dir.write("activities.csv", kActivities);
  inputs.accounts = dir.write("accounts.csv", kAccounts);
  inputs.as_of = 1793491200000000;  // 2026-11-01T00:00:00Z
  Diagnostics diags;
  std::string error;
  jobs::PreparedRun run;
  REQUIRE_MESSAGE(jobs::prepare_run(inputs, diags, run, error), error, diags.sorted().size());
  return run;
}

double value(const jobs::PreparedRun& run, std::size_t aggregate, std::string_view key) {
  const auto g = jobs::find_account(run, key);
  REQUIRE(g >= 0);
  const auto& column = run.accounts.values[aggregate];
  const auto i = static_cast<std::size_t>(g);
  if (column.type == ir::Type::Bool) return column.truth[i] == engine::kTrue ? 1 : 0;
  if (column.type == ir::Type::Instant) return column.valid[i] ? static_cast<double>(column.time[i]) : NAN;
  return column.valid[i] ? column.num[i] : NAN;
}

// Per lead id: each output of the record by name (sections, mql, mqa).
std::map<std::string, std::map<std::string, std::string>> lead_outputs(const jobs::PreparedRun& run) {
  std::map<std::string, std::map<std::string, std::string>> out;
  engine::LeadRecord record;
  jobs::for_each_batch(run, [&](const engine::BatchInput& batch, const engine::BatchState& state) {
    for (std::size_t r = 0; r < batch.rows; ++r) {
      engine::record_lead(run.graph, run.points, batch, state, r, record);
      auto& row = out[std::string(run.leads.ids[batch.first_lead + r])];
      for (std::size_t s = 0; s < run.graph.sections.size(); ++s)
        row[run.graph.sections[s].name] = std::to_string(static_cast<int>(record.sections[s].value));
      row["score"] = std::to_string(static_cast<int>(record.score));
      row["mql"] = record.mql ? "true" : "false";
      row["mqa"] = record.mqa ? "true" : "false";
    }
  });
  return out;
}

}  // namespace

TEST_CASE("accounts: leads are grouped by the key, and leads with no key or an excepted key stand alone") {
  ScratchDir dir;
  auto run = prepare(dir, kRules);
  const auto& a = run.accounts;
  CHECK(a.accounts == 3);  // A1, A2, A9
  CHECK(a.groups == 5);    // and L5, L6 alone
  CHECK(a.keys == std::vector<std::string>{"A1", "A2", "A9"});
  CHECK(a.leads_without_key == 1);
  CHECK(a.leads_excluded == 1);
  CHECK(a.accounts_not_in_file == 1);
  CHECK(a.file_accounts_without_leads == 0);
  CHECK(run.account_rows_read == 3);
  REQUIRE(run.account_rejects.size() == 1);
  CHECK(run.account_rejects[0].first == 4);
  CHECK(run.account_rejects[0].second == "duplicate account id \"A1\" (first on line 2)");
}

TEST_CASE("accounts: each aggregate over an account's leads, with missing values") {
  ScratchDir dir;
  auto run = prepare(dir, std::string(kRules) + kAggregates);
  // Aggregates 0 and 1 are the engagement section's count(leads) and `each lead where interest > 0`, then the
  // probe's in order.
  CHECK(value(run, 1, "A1") == 3);  // L1 demo, L2 and L3 visits
  CHECK(value(run, 2, "A1") == 2);  // seats > 0: L1, L3 (L2's seats are missing: unknown is not counted)
  CHECK(value(run, 3, "A1") == 1);  // exists department == IT
  CHECK(value(run, 3, "A2") == 0);
  CHECK(value(run, 4, "A1") == 2);  // IT (twice, spelt differently) and Finance
  CHECK(value(run, 4, "A2") == 0);  // a missing department is no value
  CHECK(value(run, 5, "A1") == 30);
  CHECK(value(run, 6, "A1") == 10);
  CHECK(value(run, 7, "A1") == 40);
  CHECK(value(run, 8, "A1") == 20);  // the average of the present values
  CHECK(value(run, 9, "A1") == 40);  // top 2 of 10, 30
  CHECK(value(run, 9, "A9") == 1);   // fewer leads than k
  CHECK(value(run, 10, "A1") == 1772323200000000.0);  // 2026-03-01, the latest sign-up
  CHECK(std::isnan(value(run, 10, "A9")));            // no lead has a date: missing
  // A lead of no account is a group of its own.
  const auto& own = run.accounts.values[7];  // sum(seats of leads)
  const auto l5 = static_cast<std::size_t>(run.accounts.group[4]);
  CHECK(l5 >= run.accounts.accounts);
  CHECK(own.num[l5] == 7);
}

TEST_CASE("accounts: account sections and mqa, and lead rules that read them") {
  ScratchDir dir;
  auto run = prepare(dir, kRules);
  auto out = lead_outputs(run);
  // A1: three engaged leads, 3 points each up to 7; US.
  CHECK(out["L1"]["account.engagement"] == "7");
  CHECK(out["L2"]["account.engagement"] == "7");
  CHECK(out["L1"]["account.fit"] == "10");
  CHECK(out["L2"]["mqa"] == "true");
  CHECK(out["L2"]["interest"] == "5");
  CHECK(out["L2"]["score"] == "5");  // account sections are not part of the lead's score
  CHECK(out["L2"]["mql"] == "true");  // through account.mqa
  // A2: DE, one engaged lead.
  CHECK(out["L4"]["account.engagement"] == "3");
  CHECK(out["L4"]["account.fit"] == "0");
  CHECK(out["L4"]["mql"] == "false");
  // Not in the accounts file: its fields are missing.
  CHECK(out["L7"]["account.fit"] == "0");
  CHECK(out["L5"]["account.engagement"] == "0");
}

TEST_CASE("accounts: explain --account agrees with --accounts-out for every account") {
  ScratchDir dir;
  auto run = prepare(dir, kRules);
  const auto accounts = jobs::collect_accounts(run, 3);
  REQUIRE(accounts.size() == 3);
  std::istringstream csv(jobs::accounts_csv(run, accounts, io::CsvSafety::Raw));
  std::string line;
  std::getline(csv, line);
  CHECK(line == "account,leads,in_accounts_file,account.engagement,account.fit,mqa,top_leads,reasons");
  std::getline(csv, line);
  CHECK(line == "A1,3,true,7,10,true,\"L1 (40, mql); L2 (5, mql); L3 (5, mql)\",+10 US; +7 each; +0 n");
  for (const auto& a : accounts) {
    const std::string text = jobs::explain_account(run, a.group, false);
    CAPTURE(text);
    std::size_t k = 0;
    for (const auto& section : run.graph.sections) {
      if (!section.account) continue;
      std::ostringstream expected;
      expected << section.name << " = " << a.sections.at(k++);
      CHECK(text.find(expected.str()) != std::string::npos);
    }
    CHECK(text.find(std::string("mqa = ") + (a.mqa ? "true" : "false")) != std::string::npos);
    CHECK(text.find(std::to_string(a.leads) + " lead") != std::string::npos);
  }
}

TEST_CASE("accounts: a rule test case with one account and three leads passes and fails as expected") {
  ScratchDir dir;
  const std::string rules = dir.write("r.rules", kRules);
  auto cases_text = [](const char* engagement) {
    return std::string(
               "as_of: 2026-11-01T00:00:00Z\n"
               "cases:\n"
               "  - name: three leads\n"
               "    account: {account_id: A1, country: US, revenue: 100}\n"
               "    lead: {lead_id: L1, account_id: A1}\n"
               "    events: [{type: demo, occurred_at: -1d}]\n"
               "    account_leads:\n"
               "      - lead: {lead_id: L2, account_id: A1}\n"
               "        events: [{type: visit, occurred_at: -1d}]\n"
               "      - lead: {lead_id: L3, account_id: A1}\n"
               "        events: [{type: visit, occurred_at: -2d}]\n"
               "    expect:\n"
               "      account.engagement: ") +
           engagement + "\n      mqa: true\n      mql: true\n";
  };
  jobs::CaseRunner runner;
  std::string error;
  REQUIRE(runner.open(rules, error));
  for (const auto& [engagement, passes] : {std::pair{"7", true}, std::pair{"3", false}}) {
    Diagnostics diags;
    jobs::TestFile file;
    auto source = std::make_shared<SourceFile>("t.yaml", cases_text(engagement));
    REQUIRE(jobs::parse_test_file(source, runner.prepared().program, diags, file));
    REQUIRE(file.cases.size() == 1);
    const auto result = runner.run(file.cases[0]);
    CHECK(result.error == "");
    CHECK(result.passed() == passes);
    if (!passes) {
      REQUIRE(result.failures.size() == 1);
      CHECK(result.failures[0].message == "account.engagement: expected 3, got 7");
    }
  }
}

TEST_CASE("accounts: explain --account agrees with --accounts-out on every account of the abm example") {
  namespace fs = std::filesystem;
  const fs::path root = LEADSCORE_SOURCE_DIR;
  const fs::path data = root / "rules/examples/data/abm";
  jobs::RunInputs inputs;
  inputs.rules = (root / "rules/examples/abm.rules").string();
  inputs.leads = (data / "leads.csv").string();
  inputs.activities = (data / "activities.csv").string();
  inputs.accounts = (data / "accounts.csv").string();
  inputs.as_of = 1793491200000000;  // 2026-11-01T00:00:00Z
  Diagnostics diags;
  std::string error;
  jobs::PreparedRun run;
  REQUIRE_MESSAGE(jobs::prepare_run(inputs, diags, run, error), error);
  // The rows --accounts-out writes, and every account with all of its leads for explain.
  std::istringstream csv(jobs::accounts_csv(run, jobs::collect_accounts(run, 3), io::CsvSafety::Raw));
  const auto accounts = jobs::collect_accounts(run, jobs::kAllLeads);
  REQUIRE(accounts.size() > 1000);
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  {
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) header.push_back(cell);
  }
  std::size_t checked = 0;
  for (const auto& account : accounts) {
    REQUIRE(std::getline(csv, line));
    // account,leads,in_accounts_file,<sections>,<gates>,mqa,<classifies>,... : the leading cells have no quotes.
    std::vector<std::string> cells;
    std::istringstream in(line);
    for (std::string cell; cells.size() < header.size() - 2 && std::getline(in, cell, ',');) cells.push_back(cell);
    const std::string text = jobs::explain_account(run, account, false);
    CAPTURE(line);
    CHECK(text.rfind("account " + cells[0] + " (" + cells[1] + " lead", 0) == 0);
    for (std::size_t c = 3; c < cells.size(); ++c) {
      const std::string& name = header[c];
      if (name.rfind("account.", 0) == 0 && run.graph.sections.size() > 0) {
        const bool is_section = std::any_of(run.graph.sections.begin(), run.graph.sections.end(),
                                            [&](const auto& s) { return s.name == name; });
        const bool is_gate = std::any_of(run.graph.gates.begin(), run.graph.gates.end(),
                                         [&](const auto& g) { return g.name == name; });
        if (is_section) CHECK(text.find("\n" + name + " = " + cells[c] + "  ") != std::string::npos);
        else if (is_gate) CHECK(text.find("\ngate " + name + " = " + cells[c] + "\n") != std::string::npos);
        else CHECK(text.find("\n" + name + " = " + (cells[c].empty() ? "(no branch" : "\"" + cells[c] + "\"")) !=
                   std::string::npos);
      } else if (name == "mqa") {
        CHECK(text.find("\nmqa = " + cells[c] + "   ") != std::string::npos);
      }
    }
    ++checked;
  }
  CHECK(checked == accounts.size());
  CHECK_FALSE(std::getline(csv, line));
}
